import hashlib
import os
import stat
import subprocess
import sys
import tempfile

SITE = "/app/site"


def snapshot(root):
    """Relative path -> (kind, content hash or link target), for every entry below root."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                out[rel] = ("dir", None)
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as fh:
                    out[rel] = ("file", hashlib.sha256(fh.read()).hexdigest())
            else:
                out[rel] = ("other", None)
    return out


def expected_mode(rel, kind):
    parts = rel.split("/")
    private = rel == "private" or parts[0] == "private"
    if kind == "dir":
        return 0o700 if private else 0o755
    if private:
        return 0o600
    if rel.endswith(".sh") or (len(parts) == 2 and parts[0] == "bin"):
        return 0o755
    return 0o644


with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "/tests/make_site.py", os.path.join(tmp, "site")], check=True)
    pristine = snapshot(os.path.join(tmp, "site"))

if not os.path.isdir(SITE) or os.path.islink(SITE):
    sys.exit("/app/site is missing")
current = snapshot(SITE)
if current != pristine:
    missing = sorted(set(pristine) - set(current))
    extra = sorted(set(current) - set(pristine))
    changed = sorted(k for k in set(pristine) & set(current) if pristine[k] != current[k])
    sys.exit(f"tree content changed: missing={missing[:5]} extra={extra[:5]} changed={changed[:5]}")

errors = []
root_mode = stat.S_IMODE(os.lstat(SITE).st_mode)
if root_mode != 0o755:
    errors.append(f". has mode {root_mode:o}, expected 755")
for rel, (kind, _) in sorted(current.items()):
    if kind == "link":
        continue
    mode = stat.S_IMODE(os.lstat(os.path.join(SITE, rel)).st_mode)
    want = expected_mode(rel, kind)
    if mode != want:
        errors.append(f"{rel} has mode {mode:o}, expected {want:o}")
if errors:
    print("\n".join(errors[:20]))
    sys.exit(1)
print("ok")
