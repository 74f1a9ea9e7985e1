"""Create a deterministic data tree with files of varied sizes and ages under sys.argv[1]."""

import calendar
import os
import random
import sys

root = sys.argv[1]
rng = random.Random(1234567)
CUTOFF = calendar.timegm((2024, 1, 1, 0, 0, 0))
LIMIT = 50 * 1024
dirs = ["", "app", "app/old", "db", "db/dumps", "exports", "exports/2023", "tmp", "archive.log"]
names = [
    "server",
    "worker",
    "audit",
    "metrics",
    "events",
    "cache",
    "report",
    "sensor data",
    "-dashed",
    "batch",
    "queue",
    "trace",
]
exts = [".log", ".dat", ".log", ".dat", ".txt", ".log.1", ".LOG", ".csv", ".dat.bak"]

for d in dirs:
    os.makedirs(os.path.join(root, d), exist_ok=True)


def make(rel, size, mtime):
    path = os.path.join(root, rel)
    chunk = f"{rel} {rng.randint(0, 10**9)}\n".encode()
    data = (chunk * (size // len(chunk) + 1))[:size]
    with open(path, "wb") as fh:
        fh.write(data)
    os.utime(path, (mtime, mtime))


used = set()
for i in range(170):
    d = rng.choice(dirs[:-1])
    rel = os.path.join(d, f"{rng.choice(names)}-{i:03d}{rng.choice(exts)}")
    size = rng.choice(
        [
            rng.randint(100, 20000),
            rng.randint(40000, 60000),
            rng.randint(52000, 300000),
            LIMIT,
            LIMIT + 1,
            LIMIT - 1,
        ]
    )
    mtime = CUTOFF + rng.choice(
        [-1, 0, 1, rng.randint(-400 * 86400, -1), rng.randint(1, 200 * 86400)]
    )
    make(rel, size, mtime)

# Things that look like matches but are not regular files.
os.symlink("../db/dumps", os.path.join(root, "tmp", "dumps-link.dat"))
big = os.path.join("app", "old", "huge-legacy.log")
make(big, 250000, CUTOFF - 90 * 86400)
os.symlink("old/huge-legacy.log", os.path.join(root, "app", "current.log"))
make(os.path.join("archive.log", "inner.txt"), 70000, CUTOFF - 86400)
for d in dirs:
    os.utime(os.path.join(root, d), (CUTOFF - 5 * 86400, CUTOFF - 5 * 86400))
