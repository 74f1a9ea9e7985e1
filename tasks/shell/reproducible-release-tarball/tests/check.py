import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time

sys.path.insert(0, "/tests")
from gen_src import tree

ARCHIVE = "/app/dist/myapp-1.4.2.tar.gz"
SHA = ARCHIVE + ".sha256"
SRC = "/app/src/myapp"
PREFIX = "myapp-1.4.2"


def excluded(path):
    parts = path.split("/")
    return any(p in (".git", "__pycache__") for p in parts) or parts[-1].endswith(
        (".pyc", ".swp", "~")
    )


entries = {path: (kind, mode, data) for path, kind, mode, data in tree() if not excluded(path)}
children = {}
for path in entries:
    if path:
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        children.setdefault(parent, []).append(path)
order = []


def walk(path):
    order.append(path)
    for child in sorted(children.get(path, []), key=lambda p: p.rsplit("/", 1)[-1].encode()):
        walk(child)


walk("")


def fail(message):
    print(message)
    sys.exit(1)


if not os.path.isfile("/app/build-release.sh") or not os.access("/app/build-release.sh", os.X_OK):
    fail("/app/build-release.sh is missing or not executable")
try:
    with open(ARCHIVE, "rb") as fh:
        original = fh.read()
except OSError as exc:
    fail(f"cannot read {ARCHIVE}: {exc}")

# gzip header: magic, method, flags (no FNAME), MTIME == 0
if original[:3] != b"\x1f\x8b\x08":
    fail("the archive is not gzip-compressed")
if original[3] & 0x08:
    fail("the gzip header stores a file name")
if original[4:8] != b"\0\0\0\0":
    fail("the gzip header stores a timestamp")

try:
    with open(SHA, encoding="utf-8") as fh:
        sha_line = fh.read()
except OSError as exc:
    fail(f"cannot read {SHA}: {exc}")
if sha_line.strip() != f"{hashlib.sha256(original).hexdigest()}  myapp-1.4.2.tar.gz":
    fail(f"{SHA} does not hold the archive's digest in sha256sum format: {sha_line!r}")

with tarfile.open(ARCHIVE, "r:gz") as tf:
    if tf.pax_headers:
        fail("the archive has a global pax header")
    members = tf.getmembers()
    names = [m.name.rstrip("/") for m in members]
    expected_names = [f"{PREFIX}/{p}" if p else PREFIX for p in order]
    if names != expected_names:
        for i, (a, b) in enumerate(zip(names, expected_names, strict=False)):
            if a != b:
                fail(
                    f"member #{i + 1} is {a!r}, expected {b!r} ({len(names)} members, expected {len(expected_names)})"
                )
        fail(f"{len(names)} members, expected {len(expected_names)}")
    for m, path in zip(members, order, strict=True):
        kind, mode, data = entries[path]
        where = m.name
        if m.pax_headers:
            fail(f"{where}: has pax extended headers")
        if m.mtime != 1704067200:
            fail(f"{where}: mtime {m.mtime}, expected 1704067200")
        if (m.uid, m.gid, m.uname, m.gname) != (0, 0, "root", "root"):
            fail(f"{where}: owner {m.uname}/{m.gname} {m.uid}/{m.gid}, expected root/root 0/0")
        if kind == "dir":
            if not m.isdir() or m.mode & 0o7777 != 0o755:
                fail(
                    f"{where}: expected a directory with mode 755, got type {m.type!r} mode {m.mode:o}"
                )
        elif kind == "link":
            if not m.issym() or m.linkname != data:
                fail(f"{where}: expected a symbolic link to {data!r}")
        else:
            want = 0o755 if mode & 0o111 else 0o644
            if not m.isfile() or m.mode & 0o7777 != want:
                fail(
                    f"{where}: expected a regular file with mode {want:o}, got type {m.type!r} mode {m.mode:o}"
                )
            if tf.extractfile(m).read() != data:
                fail(f"{where}: contents differ from the source file")

# The source tree must be unchanged (excluded files included).
for path, kind, _mode, data in tree():
    full = os.path.join(SRC, path) if path else SRC
    if kind == "file":
        if not os.path.isfile(full):
            fail(f"{full} was removed")
        with open(full, "rb") as fh:
            if fh.read() != data:
                fail(f"{full} was modified")
    if kind == "dir" and not os.path.isdir(full):
        fail(f"{full} was removed")

# Rebuild after disturbing the source tree: the archive must be byte-identical.
for extra in (
    "myapp/new_module.pyc",
    "lib/__pycache__/helper.cpython-311.pyc",
    "notes.txt~",
    "docs/.guide.md.swp",
    ".git/objects/ab12",
):
    full = os.path.join(SRC, extra)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as fh:
        fh.write("junk\n")
now = time.time()
for root, dirs, files in os.walk(SRC):
    for name in dirs + files:
        os.utime(os.path.join(root, name), (now - 7, now - 3), follow_symlinks=False)
os.utime(SRC, (now, now))
shutil.rmtree("/app/dist")
os.makedirs("/tmp/elsewhere", exist_ok=True)
proc = subprocess.run(
    ["/app/build-release.sh"],
    cwd="/tmp/elsewhere",
    capture_output=True,
    text=True,
    timeout=60,
    preexec_fn=lambda: os.umask(0o077),
)
if proc.returncode != 0:
    fail(f"rerunning /app/build-release.sh failed (exit {proc.returncode}): {proc.stderr[-500:]}")
try:
    with open(ARCHIVE, "rb") as fh:
        rebuilt = fh.read()
except OSError as exc:
    fail(f"the rerun did not create {ARCHIVE}: {exc}")
if rebuilt != original:
    fail("rerunning the script produced a different archive: the build is not reproducible")
print("ok")
