import os
import stat
import sys

sys.path.insert(0, "/tests")
from gen_tree import entries, fixed, links

ROOT = "/app/project"
failures = []
changed = 0
for path, data, mode in [*entries(), *fixed()]:
    parts = path.split("/")
    in_git = ".git" in parts[:-1]
    name = parts[-1]
    want_data, want_mode = data, mode
    if not in_git and name.endswith((".txt", ".md", ".sh", ".py", ".cfg")):
        want_data = data.replace(b"\r\n", b"\n")
    if not in_git and name.endswith(".sh"):
        want_mode = 0o755
    changed += want_data != data
    full = os.path.join(ROOT, path)
    try:
        st = os.lstat(full)
    except OSError as exc:
        failures.append(f"{path}: {exc}")
        continue
    if not stat.S_ISREG(st.st_mode):
        failures.append(f"{path}: no longer a regular file")
        continue
    with open(full, "rb") as fh:
        got = fh.read()
    if got != want_data:
        failures.append(f"{path}: unexpected contents ({got[:60]!r}...)")
    if stat.S_IMODE(st.st_mode) != want_mode:
        failures.append(f"{path}: mode {stat.S_IMODE(st.st_mode):o}, expected {want_mode:o}")
for path, target in links():
    full = os.path.join(ROOT, path)
    if not os.path.islink(full) or os.readlink(full) != target:
        failures.append(f"{path}: must still be a symbolic link to {target}")
assert changed > 40
if failures:
    print(f"{len(failures)} problems, e.g.:")
    print("\n".join(failures[:10]))
    sys.exit(1)
print("ok")
