"""Create /app/src and an outdated, partly wrong /app/mirror under BASE (default /app)."""

import os
import random
import shutil
import sys

base = sys.argv[1] if len(sys.argv) > 1 else "/app"
src = os.path.join(base, "src")
mirror = os.path.join(base, "mirror")
rng = random.Random(5150)
T0 = 1_600_000_000  # Sep 2020


def stamp():
    return T0 + rng.randint(0, 90_000_000)


def write(root, rel, data, mode=0o644, mtime=None):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.unlink(path)
    with open(path, "wb") as fh:
        fh.write(data)
    os.chmod(path, mode)
    os.utime(path, (mtime or stamp(),) * 2)


def link(root, rel, target, mtime=None):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)
    os.utime(path, (mtime or stamp(),) * 2, follow_symlinks=False)


def set_dir_times(root, modes):
    for dirpath, _dirs, _files in sorted(os.walk(root), key=lambda t: (-len(t[0]), t[0])):
        rel = os.path.relpath(dirpath, root)
        os.chmod(dirpath, modes.get(rel, 0o755))
        os.utime(dirpath, (stamp(),) * 2)


# ---------------------------------------------------------------- source tree
dirs = [
    "docs",
    "docs/api",
    "src/core",
    "src/util",
    "assets/img",
    "assets/fonts",
    "conf",
    "data/2023",
    "data/2024",
    "empty",
    "shared space",
]
for d in dirs:
    os.makedirs(os.path.join(src, d), exist_ok=True)
words = ["alpha", "beta", "gamma", "delta", "notes", "main", "index", "config", "readme", "café"]
exts = [".txt", ".md", ".py", ".json", ".png", ".sh", ""]
file_modes = [0o644, 0o644, 0o600, 0o755, 0o640, 0o664, 0o700, 0o444]
files = []
for d in dirs:
    if d == "empty":
        continue
    for _ in range(rng.randint(3, 8)):
        rel = os.path.join(d, rng.choice(words) + rng.choice(["", "-1", " 2"]) + rng.choice(exts))
        if rel in files:
            continue
        files.append(rel)
        size = rng.choice([0, 10, 100, 1000, 5000])
        data = (
            bytes(rng.randrange(256) for _ in range(size))
            if rel.endswith(".png")
            else (f"{rel}:{rng.random()}\n" * (size // 20 + 1)).encode()
        )
        write(src, rel, data, rng.choice(file_modes))
write(src, "run.sh", b"#!/bin/sh\necho run\n", 0o755)
write(src, "conf/app.conf", b"port = 8080\n", 0o640)
write(src, "conf/secret.env", b"TOKEN=abc\n", 0o600)
write(src, "README", b"hello\n", 0o644)
write(src, "setuid-tool", b"#!/bin/sh\n", 0o4755)
write(src, ".cache", b"a file named .cache is not excluded\n", 0o644)
write(src, "docs/dot.d/.hidden", b"hidden\n", 0o644)
write(src, "data/big.bin", bytes(rng.randrange(256) for _ in range(70000)), 0o644)
# hard links
write(src, "data/2024/shared.csv", b"id,value\n1,2\n", 0o644)
os.link(os.path.join(src, "data/2024/shared.csv"), os.path.join(src, "data/2023/shared-link.csv"))
os.link(os.path.join(src, "data/2024/shared.csv"), os.path.join(src, "docs/shared copy.csv"))
write(src, "assets/img/logo.png", b"\x89PNG" + bytes(rng.randrange(256) for _ in range(300)), 0o644)
os.link(os.path.join(src, "assets/img/logo.png"), os.path.join(src, "assets/logo.png"))
# excluded entries
write(src, "docs/draft.tmp", b"scratch\n")
write(src, "src/core/main.py~", b"old\n")
write(src, "build.tmp/out/a.o", b"obj\n")
write(src, "src/.cache/x/y.pyc", b"cache\n")
write(src, ".cache.d/keep.txt", b"a directory named .cache.d is not excluded\n")
link(src, "latest.tmp", "data/2024")
# symlinks
link(src, "docs/current", "api")
link(src, "conf/active.conf", "app.conf")
link(src, "assets/fonts/system", "/usr/share/fonts")
link(src, "broken-link", "no/such/file")
link(src, "shared space/readme link", "../README")
dir_modes = {
    "conf": 0o750,
    "shared space": 0o2775,
    "data/2024": 0o1777,
    "empty": 0o700,
    "docs/api": 0o555,
}
set_dir_times(src, dir_modes)

# ---------------------------------------------------------------- outdated mirror
shutil.copytree(src, mirror, symlinks=True, copy_function=shutil.copy2)
# copytree breaks hard links, which is fine for a stale mirror; copy2 keeps file times.
for dirpath, _dirs, filenames in os.walk(mirror):
    for name in filenames:
        path = os.path.join(dirpath, name)
        if not os.path.islink(path):
            st = os.stat(os.path.join(src, os.path.relpath(path, mirror)))
            os.utime(path, (st.st_mtime,) * 2)


def msrc(rel):
    return os.lstat(os.path.join(src, rel))


# quick-check traps: same size and mtime, different content (must be left alone)
quick = [f for f in files if f.endswith(".txt") and os.path.getsize(os.path.join(src, f)) > 50][:3]
for i, rel in enumerate(quick):
    st = msrc(rel)
    with open(os.path.join(src, rel), "rb") as fh:
        data = bytearray(fh.read())
    data[0:5] = b"STALE"
    write(mirror, rel, bytes(data), 0o600 if i == 0 else st.st_mode & 0o7777, st.st_mtime)
# same content, different mtime; same mtime, different size; different mode only
changed = [f for f in files if f not in quick]
rng.shuffle(changed)
for rel in changed[:4]:
    os.utime(os.path.join(mirror, rel), (stamp(),) * 2)
for rel in changed[4:8]:
    st = msrc(rel)
    write(mirror, rel, b"outdated content\n", st.st_mode & 0o7777, st.st_mtime)
for rel in changed[8:11]:
    os.chmod(os.path.join(mirror, rel), 0o666)
for rel in changed[11:14]:
    os.unlink(os.path.join(mirror, rel))
# stale and excluded things that must disappear
write(mirror, "old-file.txt", b"gone from source\n")
write(mirror, "removed dir/sub/file.md", b"gone\n")
write(mirror, "src/.cache/stale.pyc", b"x\n")
write(mirror, "assets/.cache/thumbs/1.png", b"x\n")
link(mirror, "stale-link", "README")
# type conflicts
shutil.rmtree(os.path.join(mirror, "empty"))
write(mirror, "empty", b"was a file\n")
os.unlink(os.path.join(mirror, "README"))
write(mirror, "README/inner.txt", b"was a dir\n")
os.unlink(os.path.join(mirror, "conf/active.conf"))
write(mirror, "conf/active.conf", b"was a regular file\n")
os.unlink(os.path.join(mirror, "run.sh"))
link(mirror, "run.sh", "conf/secret.env")  # writing through this would clobber secret.env
os.unlink(os.path.join(mirror, "docs/current"))
link(mirror, "docs/current", "../src")
# hard-link trap: two separate source files that are one inode in the mirror
pair = [f for f in changed[14:] if not f.endswith(".png")][:2]
first = os.path.join(mirror, pair[0])
os.unlink(os.path.join(mirror, pair[1]))
os.link(first, os.path.join(mirror, pair[1]))
# stale hard link between groups in the mirror
os.unlink(os.path.join(mirror, "assets/logo.png"))
set_dir_times(mirror, {})
