import csv
import io
import subprocess
import sys
from collections import defaultdict

text = subprocess.run(
    [sys.executable, "/tests/gen_contacts.py"], capture_output=True, text=True, check=True
).stdout
raw_lines = text.split("\n")[1:-1]
rows = list(csv.reader(io.StringIO(text)))[1:]
assert len(rows) == len(raw_lines)

by_key = defaultdict(list)
for i, (_id, _name, email, phone, _ts) in enumerate(rows):
    if email.strip():
        by_key["email", email.strip().lower()].append(i)
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) >= 10:
        by_key["phone", digits[-10:]].append(i)
neighbours = defaultdict(set)
for members in by_key.values():
    for i in members:
        neighbours[i].update(members)

group_of = {}
for start in range(len(rows)):
    if start in group_of:
        continue
    stack, seen = [start], {start}
    while stack:
        cur = stack.pop()
        for nxt in neighbours[cur]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    winner = sorted(seen, key=lambda i: (rows[i][4], -int(rows[i][0])))[-1]
    for i in seen:
        group_of[i] = winner

sizes = defaultdict(int)
for w in group_of.values():
    sizes[w] += 1
assert max(sizes.values()) >= 3 and len(sizes) < len(rows) - 100

expected_dedup = "id,name,email,phone,updated_at\n" + "".join(
    raw_lines[i] + "\n" for i in range(len(rows)) if group_of[i] == i
)
expected_map = ["removed_id,kept_id"] + [
    f"{a},{b}"
    for a, b in sorted((int(rows[i][0]), int(rows[w][0])) for i, w in group_of.items() if i != w)
]

failures = []
try:
    with open("/app/data/contacts_dedup.csv", encoding="utf-8", newline="") as fh:
        got = fh.read()
    if got != expected_dedup:
        g, e = got.split("\n"), expected_dedup.split("\n")
        failures.append(f"contacts_dedup.csv: {len(g) - 1} lines, expected {len(e) - 1}")
        for a, b in zip(g, e, strict=False):
            if a != b:
                failures.append(f"  first difference: got {a!r}, expected {b!r}")
                break
except OSError as exc:
    failures.append(f"cannot read contacts_dedup.csv: {exc}")
try:
    with open("/app/data/merge_map.csv", encoding="utf-8") as fh:
        got_map = fh.read().rstrip("\n").split("\n")
    if got_map != expected_map:
        failures.append(f"merge_map.csv: {len(got_map)} lines, expected {len(expected_map)}")
        for a, b in zip(got_map, expected_map, strict=False):
            if a != b:
                failures.append(f"  first difference: got {a!r}, expected {b!r}")
                break
except OSError as exc:
    failures.append(f"cannot read merge_map.csv: {exc}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
