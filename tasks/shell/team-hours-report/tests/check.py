import csv
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

sys.path.insert(0, "/tests")
import make_hours

PROG = "/app/bin/hours-report"


def two(x):
    """Format an exact multiple of 1/4 (times an integer) with two decimals."""
    cents = x * 100
    assert cents.denominator == 1
    sign = "-" if cents < 0 else ""
    c = abs(cents.numerator)
    return f"{sign}{c // 100}.{c % 100:02d}"


def expected(root):
    with open(os.path.join(root, "people.csv"), newline="", encoding="utf-8") as fh:
        team_of = {r["id"]: r["team"] for r in csv.DictReader(fh)}
    rates = {}
    with open(os.path.join(root, "rates.txt"), encoding="utf-8") as fh:
        for line in fh:
            p = line.split()
            if p and not line.startswith("#"):
                rates[p[0]] = Fraction(p[1])
    hours = {t: Fraction(0) for t in team_of.values()}
    people = {t: set() for t in team_of.values()}
    for path in glob.glob(os.path.join(root, "timesheets", "*.log")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                p = line.split()
                if p and not line.startswith("#") and p[1] in team_of:
                    hours[team_of[p[1]]] += Fraction(p[2])
                    people[team_of[p[1]]].add(p[1])
    rows = sorted(
        ((t, len(people[t]), hours[t], hours[t] * rates.get(t, 0)) for t in hours),
        key=lambda r: (-r[3], r[0].encode()),
    )
    out = ["team,people,hours,cost"] + [f"{t},{n},{two(h)},{two(c)}" for t, n, h, c in rows]
    out.append(
        f"TOTAL,{sum(r[1] for r in rows)},{two(sum(r[2] for r in rows))},{two(sum(r[3] for r in rows))}"
    )
    return "\n".join(out) + "\n"


failures = []
if not (os.path.isfile(PROG) and os.access(PROG, os.X_OK)):
    sys.exit(f"{PROG} is missing or not executable")
tmp = tempfile.mkdtemp()
try:
    for seed in (101, 202, 303, 404, 505):
        root = os.path.join(tmp, f"input {seed}")
        make_hours.make(root, seed)
        want = expected(root)
        proc = subprocess.run(
            [PROG, root],
            capture_output=True,
            text=True,
            timeout=20,
            cwd=tmp,
            stdin=subprocess.DEVNULL,
        )
        if proc.returncode != 0:
            failures.append(f"input {seed}: exit {proc.returncode}: {proc.stderr[-300:]}")
        elif proc.stdout.replace("\r\n", "\n") != want:
            g, w = proc.stdout.splitlines(), want.splitlines()
            diff = [(a, b) for a, b in zip(w, g, strict=False) if a != b][:3]
            failures.append(
                f"input {seed}: report differs ({len(g)} lines, expected {len(w)}); expected vs got: {diff}"
            )
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
