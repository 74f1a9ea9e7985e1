"""Create /app/data (under BASE, default /app) with world-writable and stray executable entries."""

import os
import random
import sys

base = sys.argv[1] if len(sys.argv) > 1 else "/app"
root = os.path.join(base, "data")
rng = random.Random(31337)

dirs = [
    "",
    "bin",
    "scripts",
    "reports",
    "reports/2024",
    "uploads",
    "tmp",
    "shared tmp",
    "cache",
    "lib",
    "lib/plugins",
]
dir_modes = [0o755, 0o777, 0o775, 0o757, 0o1777, 0o2777, 0o750, 0o3777, 0o2775, 0o700, 0o1757]
kinds = ["text", "text", "text", "script", "script", "elf", "fake-script"]
file_modes = [
    0o644,
    0o666,
    0o755,
    0o777,
    0o646,
    0o700,
    0o775,
    0o664,
    0o4755,
    0o2757,
    0o751,
    0o604,
    0o600,
    0o747,
]
stems = [
    "run",
    "report",
    "notes",
    "build",
    "sync",
    "cleanup",
    "daily report",
    "tool",
    "data",
    "résumé",
]
exts = ["", ".sh", ".txt", ".py", ".csv", ".bin", ".log"]

for d in dirs:
    os.makedirs(os.path.join(root, d), exist_ok=True)

entries = []
for d in dirs:
    for _ in range(rng.randint(4, 10)):
        rel = os.path.join(d, rng.choice(stems) + rng.choice(["", "-2", "_v3"]) + rng.choice(exts))
        if rel in entries:
            continue
        entries.append(rel)
        kind = rng.choice(kinds)
        if kind == "script":
            body = rng.choice(
                [b"#!/bin/sh\necho hi\n", b"#!/usr/bin/env python3\nprint(1)\n", b"#!"]
            )
        elif kind == "elf":
            body = b"\x7fELF\x02\x01\x01\x00" + bytes(rng.randrange(256) for _ in range(40))
        elif kind == "fake-script":
            body = rng.choice(
                [
                    b"# not a script\n#!/bin/sh\n",
                    b" #!/bin/sh\n",
                    b"\xef\xbb\xbf#!/bin/sh\n",
                    b"ELF\x7f\n",
                    b"",
                ]
            )
        else:
            body = f"plain text {rel}\n".encode()
        with open(os.path.join(root, rel), "wb") as fh:
            fh.write(body)
        os.chmod(os.path.join(root, rel), rng.choice(file_modes))

keys = os.path.join(base, "keys")
os.makedirs(keys, exist_ok=True)
with open(os.path.join(keys, "deploy.key"), "w") as fh:
    fh.write("not really a key\n")
os.chmod(os.path.join(keys, "deploy.key"), 0o777)
os.chmod(keys, 0o777)
os.symlink(os.path.join(base, "keys", "deploy.key"), os.path.join(root, "bin", "deploy-key"))
os.symlink("../../keys", os.path.join(root, "lib", "keys"))
os.symlink("../reports", os.path.join(root, "lib", "reports-link"))
os.mkfifo(os.path.join(root, "tmp", "pipe"))
os.chmod(os.path.join(root, "tmp", "pipe"), 0o666)
for d in sorted(dirs, key=len, reverse=True):
    os.chmod(os.path.join(root, d), rng.choice(dir_modes))
os.chmod(root, 0o777)
