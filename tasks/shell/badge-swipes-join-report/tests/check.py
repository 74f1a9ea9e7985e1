import sys
from collections import Counter, defaultdict

sys.path.insert(0, "/tests")
from gen_data import build

staff_text, swipe_text = build()
dept = {}
for line in staff_text.splitlines():
    badge, _login, _name, d = line.split(":")
    dept[badge] = d
swipes = Counter()
people = defaultdict(set)
unknown = set()
for line in swipe_text.splitlines()[1:]:
    _ts, badge, _door, result = line.split(",")
    if badge not in dept:
        unknown.add(badge)
    elif result == "GRANTED":
        swipes[dept[badge]] += 1
        people[dept[badge]].add(badge)
expected_report = [
    f"{d}\t{len(people[d])}\t{n}"
    for d, n in sorted(swipes.items(), key=lambda kv: (-kv[1], kv[0].encode()))
]
expected_unknown = sorted(unknown)

failures = []
for path, expected in (
    ("/app/dept_report.tsv", expected_report),
    ("/app/unknown_badges.txt", expected_unknown),
):
    try:
        with open(path, encoding="utf-8") as fh:
            got = fh.read().rstrip("\n").split("\n")
    except OSError as exc:
        failures.append(f"cannot read {path}: {exc}")
        continue
    if got != expected:
        failures.append(f"{path} differs from the expected report")
        for a, b in zip(got, expected, strict=False):
            if a != b:
                failures.append(f"  got {a!r}, expected {b!r}")
                break
        else:
            failures.append(f"  {len(got)} lines, expected {len(expected)}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
