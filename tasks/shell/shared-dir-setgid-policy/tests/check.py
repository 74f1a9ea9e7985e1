import hashlib
import os
import stat
import subprocess
import sys
import tempfile

APP = "/app"
NEW_DIRS = [
    "projects/hermes",
    "projects/hermes/incoming",
    "projects/apollo/data",
    "public/downloads/v1.3",
    "team notes/2024",
    "incoming",
]


def snapshot(root):
    """Relative path -> (kind, content hash or link target, mode) for root and everything below."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in ["."] if dirpath == root else []:
            out[name] = ("dir", None, stat.S_IMODE(os.lstat(root).st_mode))
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            info = os.lstat(path)
            mode = stat.S_IMODE(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                out[rel] = ("link", os.readlink(path), None)
            elif stat.S_ISDIR(info.st_mode):
                out[rel] = ("dir", None, mode)
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as fh:
                    out[rel] = ("file", hashlib.sha256(fh.read()).hexdigest(), mode)
            else:
                out[rel] = ("other", None, mode)
    return out


def expected_mode(rel, kind, old_mode):
    public = rel == "public" or rel.startswith("public/")
    if kind == "dir":
        special = 0o3000 if os.path.basename(rel) == "incoming" else 0o2000
        return special | (0o775 if public else 0o770)
    executable = old_mode is not None and old_mode & 0o111
    if public:
        return 0o775 if executable else 0o664
    return 0o770 if executable else 0o660


with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "/tests/make_shared.py", tmp], check=True)
    pristine = snapshot(os.path.join(tmp, "shared"))
    pristine_outside = snapshot(os.path.join(tmp, "outside"))

# The expected set of entries: the pristine tree plus the new directories (and their parents).
expected = {rel: (kind, data) for rel, (kind, data, _) in pristine.items()}
for rel in NEW_DIRS:
    parts = rel.split("/")
    for i in range(1, len(parts) + 1):
        expected.setdefault("/".join(parts[:i]), ("dir", None))

shared = os.path.join(APP, "shared")
if not os.path.isdir(shared) or os.path.islink(shared):
    sys.exit("/app/shared is missing")
current = snapshot(shared)
got = {rel: (kind, data) for rel, (kind, data, _) in current.items()}
if got != expected:
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    changed = sorted(k for k in set(expected) & set(got) if expected[k] != got[k])
    sys.exit(f"tree content changed: missing={missing[:5]} extra={extra[:5]} changed={changed[:5]}")

outside = snapshot(os.path.join(APP, "outside"))
if outside != pristine_outside:
    changed = sorted(
        k for k in set(outside) | set(pristine_outside) if outside.get(k) != pristine_outside.get(k)
    )
    sys.exit(f"/app/outside was changed (symlink targets must stay untouched): {changed[:5]}")

errors = []
for rel, (kind, _, mode) in sorted(current.items()):
    if kind == "link":
        continue
    old = pristine.get(rel, (None, None, None))[2]
    want = expected_mode("" if rel == "." else rel, kind, old)
    if mode != want:
        errors.append(f"{rel}: mode {mode:o}, expected {want:o}")
if errors:
    print(f"{len(errors)} entries have the wrong mode, e.g.:")
    print("\n".join(errors[:15]))
    sys.exit(1)
print("ok")
