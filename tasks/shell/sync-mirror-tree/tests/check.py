import hashlib
import os
import stat
import subprocess
import sys
import tempfile


def excluded(name, is_dir):
    return name.endswith((".tmp", "~")) or (is_dir and name == ".cache")


def snapshot(root, prune=False):
    """Relative path -> dict(kind, data, mode, mtime, size, ino) without following links."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if prune:
            dirnames[:] = [
                n for n in dirnames if not excluded(n, not os.path.islink(os.path.join(dirpath, n)))
            ]
        names = dirnames + filenames
        if dirpath == root:
            names = ["", *names]
        for name in names:
            path = os.path.join(dirpath, name) if name else root
            st = os.lstat(path)
            if prune and name and excluded(name, stat.S_ISDIR(st.st_mode)):
                continue
            entry = {"mode": stat.S_IMODE(st.st_mode), "mtime": int(st.st_mtime), "ino": st.st_ino}
            if stat.S_ISLNK(st.st_mode):
                entry.update(kind="link", data=os.readlink(path))
                entry["mode"] = None
            elif stat.S_ISDIR(st.st_mode):
                entry.update(kind="dir", data=None)
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    entry.update(
                        kind="file", data=hashlib.sha256(fh.read()).hexdigest(), size=st.st_size
                    )
            else:
                entry.update(kind="other", data=None)
            out[os.path.relpath(path, root)] = entry
    return out


def groups(snap):
    by_ino = {}
    for rel, e in snap.items():
        if e["kind"] == "file":
            by_ino.setdefault(e["ino"], []).append(rel)
    return sorted(sorted(g) for g in by_ino.values() if len(g) > 1)


with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "/tests/make_trees.py", tmp], check=True)
    src = snapshot(os.path.join(tmp, "src"), prune=True)
    full_src = snapshot(os.path.join(tmp, "src"))
    old_mirror = snapshot(os.path.join(tmp, "mirror"))

expected = {}
quick = []
for rel, e in src.items():
    want = dict(e)
    old = old_mirror.get(rel)
    if (
        e["kind"] == "file"
        and old
        and old["kind"] == "file"
        and old["size"] == e["size"]
        and old["mtime"] == e["mtime"]
    ):
        if old["data"] != e["data"]:
            quick.append(rel)
        want["data"] = old["data"]
    expected[rel] = want
assert len(quick) == 3, quick

errors = []
got_src = snapshot("/app/src")
for rel, e in full_src.items():
    g = got_src.get(rel)
    if not g or (g["kind"], g["data"], g["mode"]) != (e["kind"], e["data"], e["mode"]):
        errors.append(f"/app/src/{rel} was modified")
if set(got_src) != set(full_src):
    errors.append("entries were added to or removed from /app/src")
if errors:
    sys.exit("\n".join(errors[:5]))

if not os.path.isdir("/app/mirror") or os.path.islink("/app/mirror"):
    sys.exit("/app/mirror is missing")
got = snapshot("/app/mirror")
missing = sorted(set(expected) - set(got))
extra = sorted(set(got) - set(expected))
if missing:
    errors.append(f"missing in the mirror: {missing[:6]}")
if extra:
    errors.append(f"must not be in the mirror: {extra[:6]}")
for rel in sorted(set(expected) & set(got)):
    e, g = expected[rel], got[rel]
    if g["kind"] != e["kind"]:
        errors.append(f"{rel}: is a {g['kind']}, expected a {e['kind']}")
        continue
    if g["data"] != e["data"]:
        what = (
            "quick-check file was rewritten"
            if rel in quick
            else "wrong contents"
            if e["kind"] == "file"
            else f"link target {g['data']!r}, expected {e['data']!r}"
        )
        errors.append(f"{rel}: {what}")
    if g["mode"] != e["mode"]:
        errors.append(f"{rel}: mode {g['mode']:o}, expected {e['mode']:o}")
    if g["mtime"] != e["mtime"]:
        errors.append(f"{rel}: mtime {g['mtime']}, expected {e['mtime']}")
    if e["kind"] == "file" and rel in got_src and g["ino"] == got_src[rel]["ino"]:
        errors.append(f"{rel}: shares its inode with /app/src/{rel}")
want_groups, got_groups = groups(src), groups(got)
if got_groups != want_groups:
    errors.append(f"hard-link groups differ: expected {want_groups}, got {got_groups}")

if errors:
    print(f"{len(errors)} problems, e.g.:")
    print("\n".join(errors[:15]))
    sys.exit(1)
print("ok")
