"""Create the team share /app/shared (messy permissions) and /app/outside under a base dir."""

import os
import random
import sys

base = sys.argv[1] if len(sys.argv) > 1 else "/app"
rng = random.Random(7741)
shared = os.path.join(base, "shared")
outside = os.path.join(base, "outside")

dirs = [
    "",
    "docs",
    "docs/specs",
    "docs/specs/old drafts",
    "incoming",
    "tools",
    "tools/bin",
    "projects",
    "projects/apollo",
    "projects/apollo/incoming",
    "projects/apollo/data",
    "projects/zephyr",
    "projects/zephyr/build output",
    "public",
    "public/incoming",
    "public/downloads",
    "public/downloads/v1.2",
    "archive",
    "archive/2023",
    "archive/2023/q4",
]
dir_modes = [0o755, 0o777, 0o700, 0o750, 0o775, 0o711, 0o1777, 0o2755, 0o555, 0o770, 0o000, 0o705]
file_modes = [
    0o644,
    0o666,
    0o600,
    0o640,
    0o664,
    0o755,
    0o777,
    0o700,
    0o744,
    0o754,
    0o4755,
    0o2711,
    0o604,
    0o601,
    0o610,
    0o400,
    0o000,
    0o1644,
    0o710,
    0o645,
]
stems = [
    "notes",
    "report",
    "run",
    "build",
    "plan",
    "todo",
    "data",
    "index",
    "setup",
    "summary",
    "my file",
    "café",
]
exts = [".txt", ".md", ".sh", ".csv", ".py", "", ".json", ".bin", ".log"]

os.makedirs(outside, exist_ok=True)
for name, mode in [("secret.key", 0o600), ("tool.sh", 0o750), ("readme.txt", 0o644)]:
    path = os.path.join(outside, name)
    with open(path, "w") as fh:
        fh.write(f"outside file {name}\n")
    os.chmod(path, mode)
os.makedirs(os.path.join(outside, "lib"), exist_ok=True)
os.chmod(os.path.join(outside, "lib"), 0o700)

for d in dirs:
    os.makedirs(os.path.join(shared, d), exist_ok=True)

files = []
for d in dirs:
    for _ in range(rng.randint(3, 9)):
        name = rng.choice(stems) + rng.choice(["", "-1", "-2", "_old", " v2"]) + rng.choice(exts)
        rel = os.path.join(d, name)
        if rel in files:
            continue
        files.append(rel)
        with open(os.path.join(shared, rel), "w") as fh:
            fh.write(f"{rel}\n" * rng.randint(1, 5))

links = [
    ("docs/key", "/app/outside/secret.key"),
    ("tools/bin/outside-tool", "/app/outside/tool.sh"),
    ("public/README", "../../outside/readme.txt"),
    ("projects/lib", "/app/outside/lib"),
    ("projects/apollo/current", "data"),
    ("archive/dangling", "does/not/exist"),
]
for rel, target in links:
    os.symlink(target, os.path.join(shared, rel))

for rel in files:
    os.chmod(os.path.join(shared, rel), rng.choice(file_modes))
for d in sorted(dirs, key=len, reverse=True):
    os.chmod(os.path.join(shared, d), rng.choice(dir_modes))
