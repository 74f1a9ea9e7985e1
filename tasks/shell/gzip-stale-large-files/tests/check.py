import calendar
import gzip
import hashlib
import os
import stat
import subprocess
import sys
import tempfile

DATA = "/app/data"
CUTOFF = calendar.timegm((2024, 1, 1, 0, 0, 0))


def scan(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                out[rel] = ("link", os.readlink(path), None, None)
            elif stat.S_ISDIR(info.st_mode):
                out[rel] = ("dir", None, None, None)
            else:
                with open(path, "rb") as fh:
                    data = fh.read()
                out[rel] = (
                    "file",
                    hashlib.sha256(data).hexdigest(),
                    info.st_size,
                    int(info.st_mtime),
                )
    return out


def fail(message):
    print(message)
    sys.exit(1)


with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "/tests/make_data.py", os.path.join(tmp, "d")], check=True)
    pristine = scan(os.path.join(tmp, "d"))

stale = sorted(
    (
        rel
        for rel, (kind, _, size, mtime) in pristine.items()
        if kind == "file" and rel.endswith((".log", ".dat")) and size > 51200 and mtime < CUTOFF
    ),
    key=lambda r: r.encode(),
)

try:
    with open("/app/stale.txt", encoding="utf-8") as fh:
        listed = fh.read().rstrip("\n").split("\n")
except OSError as exc:
    fail(f"cannot read /app/stale.txt: {exc}")
if listed != stale:
    fail(
        f"/app/stale.txt lists {len(listed)} paths; expected {len(stale)}: "
        f"missing {sorted(set(stale) - set(listed))[:5]}, extra {sorted(set(listed) - set(stale))[:5]}"
    )

current = scan(DATA)
want = {rel: entry for rel, entry in pristine.items() if rel not in stale}
for rel in stale:
    want[rel + ".gz"] = None
if set(current) != set(want):
    fail(
        f"unexpected tree: missing {sorted(set(want) - set(current))[:5]}, "
        f"extra {sorted(set(current) - set(want))[:5]}"
    )
for rel, entry in want.items():
    if entry is not None:
        if current[rel] != entry:
            fail(f"{rel} was changed")
        continue
    original = rel[:-3]
    kind, digest, _, mtime = pristine[original]
    path = os.path.join(DATA, rel)
    if current[rel][0] != "file":
        fail(f"{rel} is not a regular file")
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read()
    except (OSError, EOFError) as exc:
        fail(f"{rel} is not a valid gzip file: {exc}")
    if hashlib.sha256(data).hexdigest() != digest:
        fail(f"{rel} does not decompress to the original content")
    if current[rel][3] != mtime:
        fail(f"{rel} does not keep the original modification time")
print("ok")
