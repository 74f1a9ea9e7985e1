import hashlib
import os
import stat
import subprocess
import sys
import tarfile
import tempfile

ARCHIVE = "/app/backup/configs.tar.gz"

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "etc-src")
    subprocess.run([sys.executable, "/tests/make_tree.py", src], check=True)
    expected = {}
    for dirpath, _dirnames, filenames in os.walk(src):
        rel_dir = os.path.relpath(dirpath, src)
        if "disabled" in rel_dir.split(os.sep):
            continue
        for name in filenames:
            path = os.path.join(dirpath, name)
            if name.endswith(".conf") and stat.S_ISREG(os.lstat(path).st_mode):
                rel = os.path.normpath(os.path.join(rel_dir, name))
                with open(path, "rb") as fh:
                    expected[rel] = fh.read()

manifest = "".join(
    f"{hashlib.sha256(expected[rel]).hexdigest()}  {rel}\n"
    for rel in sorted(expected, key=lambda r: r.encode())
)

# A gzip file, whatever its name says.
try:
    with open(ARCHIVE, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            sys.exit("archive is not gzip-compressed")
    archive = tarfile.open(ARCHIVE, "r:gz")  # noqa: SIM115 - read below, closed at exit
except (OSError, tarfile.TarError) as exc:
    sys.exit(f"cannot open {ARCHIVE}: {exc}")

got = {}
allowed_dirs = {"configs"}
for rel in expected:
    parts = rel.split("/")
    for i in range(1, len(parts)):
        allowed_dirs.add("configs/" + "/".join(parts[:i]))
with archive:
    for member in archive.getmembers():
        name = member.name
        while name.startswith("./"):
            name = name[2:]
        name = name.rstrip("/")
        if member.isdir():
            if name not in allowed_dirs:
                sys.exit(f"unexpected directory entry {member.name!r}")
            continue
        if not member.isfile():
            sys.exit(f"unexpected non-regular member {member.name!r}")
        if name in got:
            sys.exit(f"duplicate member {member.name!r}")
        got[name] = archive.extractfile(member).read()

want = {f"configs/{rel}": data for rel, data in expected.items()}
want["configs/MANIFEST"] = manifest.encode()
if set(got) != set(want):
    sys.exit(
        f"members differ: missing={sorted(set(want) - set(got))} "
        f"unexpected={sorted(set(got) - set(want))}"
    )
for name, data in want.items():
    if got[name] != data:
        sys.exit(f"content of {name} is wrong")
print("ok")
