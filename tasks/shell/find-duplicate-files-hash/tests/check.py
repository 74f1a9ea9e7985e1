import os
import sys
from collections import defaultdict

sys.path.insert(0, "/tests")
from gen_tree import files, links

ROOT = "/app/media"
tree = files()
by_content = defaultdict(list)
for path, data in tree.items():
    if data:
        by_content[data].append(f"{ROOT}/{path}")
groups = sorted(
    (sorted(paths, key=str.encode) for paths in by_content.values() if len(paths) > 1),
    key=lambda g: g[0].encode(),
)
expected_report = "\n\n".join("\n".join(g) for g in groups) + "\n"
freed = sum((len(g) - 1) * len(tree[g[0][len(ROOT) + 1 :]]) for g in groups)
removed = {p for g in groups for p in g[1:]}
assert len(groups) > 20

failures = []
try:
    with open("/app/duplicates.txt", encoding="utf-8") as fh:
        got = fh.read()
    if got.rstrip("\n") != expected_report.rstrip("\n"):
        got_blocks = got.strip("\n").split("\n\n")
        failures.append(f"duplicates.txt: {len(got_blocks)} blocks, expected {len(groups)}")
        for a, b in zip(got_blocks, expected_report.strip("\n").split("\n\n"), strict=False):
            if a != b:
                failures.append(f"  first differing block:\n{a}\n  expected:\n{b}")
                break
except OSError as exc:
    failures.append(f"cannot read /app/duplicates.txt: {exc}")
try:
    with open("/app/reclaimable.txt", encoding="utf-8") as fh:
        value = fh.read().strip()
    if value != str(freed):
        failures.append(f"reclaimable.txt says {value!r}, expected {freed}")
except OSError as exc:
    failures.append(f"cannot read /app/reclaimable.txt: {exc}")

for path, data in tree.items():
    full = f"{ROOT}/{path}"
    if full in removed:
        if os.path.lexists(full):
            failures.append(f"{full} should have been deleted")
    elif not os.path.isfile(full) or os.path.islink(full):
        failures.append(f"{full} is missing")
    else:
        with open(full, "rb") as fh:
            if fh.read() != data:
                failures.append(f"{full} was modified")
for path, target in links().items():
    full = f"{ROOT}/{path}"
    if not os.path.islink(full) or os.readlink(full) != target:
        failures.append(f"symbolic link {full} was changed")
if failures:
    print("\n".join(failures[:10]))
    sys.exit(1)
print("ok")
