import hashlib
import os
import stat
import subprocess
import sys
import tempfile


def snapshot(root):
    """Relative path -> (kind, data) for everything below root, without following links."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                out[rel] = ("dir", None)
            elif stat.S_ISREG(mode):
                with open(path, "rb") as fh:
                    out[rel] = ("file", hashlib.sha256(fh.read()).hexdigest())
            else:
                out[rel] = ("other", None)
    return out


with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "/tests/make_www.py", tmp], check=True)
    root = os.path.join(tmp, "www")
    pristine = snapshot(root)
    candidates = {}
    for rel, (kind, _) in pristine.items():
        if kind in ("file", "dir"):
            candidates.setdefault(os.path.basename(rel), []).append(rel)
    working, repaired, removed = {}, {}, []
    for rel, (kind, target) in pristine.items():
        if kind != "link":
            continue
        if os.path.exists(os.path.join(root, rel)):
            # Absolute targets were generated below the temporary base instead of /app.
            working[rel] = "/app" + target[len(tmp) :] if target.startswith(tmp + "/") else target
            continue
        found = candidates.get(os.path.basename(target.rstrip("/")), [])
        if len(found) == 1:
            repaired[rel] = found[0]
        else:
            removed.append(rel)
removed.sort(key=lambda r: r.encode())
assert repaired and removed and working

www = "/app/www"
if not os.path.isdir(www):
    sys.exit("/app/www is missing")
current = snapshot(www)
errors = []
for rel, entry in pristine.items():
    if entry[0] == "link":
        continue
    if current.get(rel) != entry:
        errors.append(f"{rel}: was changed or removed")
for rel, target in working.items():
    if current.get(rel) != ("link", target):
        errors.append(
            f"{rel}: working link was changed (expected -> {target!r}, got {current.get(rel)})"
        )
for rel, cand in repaired.items():
    got = current.get(rel)
    if not got or got[0] != "link":
        errors.append(f"{rel}: should be a link repaired to point at {cand}")
        continue
    target = got[1]
    resolved = os.path.normpath(os.path.join(os.path.dirname(rel), target))
    if target.startswith("/") or resolved != cand:
        errors.append(f"{rel}: -> {target!r}, expected a relative link to {cand}")
for rel in removed:
    if rel in current:
        errors.append(f"{rel}: should have been removed")
extra = sorted(set(current) - set(pristine))
if extra:
    errors.append(f"unexpected new entries: {extra[:5]}")

try:
    with open("/app/removed-links.txt", encoding="utf-8") as fh:
        listed = fh.read().splitlines()
except OSError as exc:
    listed = None
    errors.append(f"cannot read /app/removed-links.txt: {exc}")
if listed is not None and listed != removed:
    errors.append(
        f"removed-links.txt: expected {len(removed)} lines {removed[:4]}..., got {len(listed)} lines {listed[:4]}..."
    )

if errors:
    print(f"{len(errors)} problems, e.g.:")
    print("\n".join(errors[:15]))
    sys.exit(1)
print(f"ok: {len(working)} working, {len(repaired)} repaired, {len(removed)} removed")
