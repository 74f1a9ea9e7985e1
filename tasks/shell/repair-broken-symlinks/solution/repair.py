"""Repair or remove the broken symlinks under /app/www (see the task's instruction)."""

import os
import stat

WWW = "/app/www"

links = []
by_name = {}
for dirpath, dirnames, filenames in os.walk(WWW):  # os.walk does not follow links by default
    for name in dirnames + filenames:
        path = os.path.join(dirpath, name)
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            links.append(path)
        elif stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            by_name.setdefault(name, []).append(path)

plan = []
for path in links:
    if os.path.exists(path):  # follows the whole chain; False for dangling links and loops
        continue
    target = os.readlink(path)
    name = os.path.basename(target.rstrip("/"))
    found = by_name.get(name, [])
    plan.append((path, found[0] if len(found) == 1 else None))

removed = []
for path, candidate in plan:
    os.unlink(path)
    if candidate is None:
        removed.append(os.path.relpath(path, WWW))
    else:
        os.symlink(os.path.relpath(candidate, os.path.dirname(path)), path)

with open("/app/removed-links.txt", "w") as fh:
    for rel in sorted(removed, key=lambda r: r.encode()):
        fh.write(rel + "\n")
