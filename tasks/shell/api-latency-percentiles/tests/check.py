import re
import subprocess
import sys
from collections import defaultdict

text = subprocess.run(
    [sys.executable, "/tests/gen_log.py"], capture_output=True, text=True, check=True
).stdout
durations = defaultdict(list)
for line in text.splitlines():
    kv = dict(tok.split("=", 1) for tok in line.split()[2:] if "=" in tok)
    if "duration_ms" not in kv or not 200 <= int(kv["status"]) <= 399:
        continue
    path = kv["path"].split("?", 1)[0]
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    path = "/".join("{id}" if re.fullmatch(r"[0-9]+", s) else s for s in path.split("/"))
    # durations are written with one decimal: compare them as integers of tenths
    durations[f"{kv['method']} {path}"].append(int(kv["duration_ms"].replace(".", "")))


def tenths(v):
    return f"{v // 10}.{v % 10}"


expected = ["endpoint\tcount\tp50\tp90\tp99\tmax"]
rows = []
for ep, vals in durations.items():
    vals.sort()
    n = len(vals)

    def rank(p, vals=vals, n=n):
        return vals[-(-p * n // 100) - 1]

    rows.append((ep, n, rank(50), rank(90), rank(99), vals[-1]))
for ep, n, *vals in sorted(rows, key=lambda r: (-r[1], r[0].encode())):
    expected.append("\t".join([ep, str(n), *(tenths(v) for v in vals)]))
assert len(expected) > 6

try:
    with open("/app/latency.tsv", encoding="utf-8") as fh:
        got = fh.read().rstrip("\n").split("\n")
except OSError as exc:
    sys.exit(f"cannot read /app/latency.tsv: {exc}")
if got != expected:
    print(f"latency.tsv differs: {len(got)} lines, expected {len(expected)}")
    for a, b in zip(got, expected, strict=False):
        if a != b:
            print(f"got      {a!r}\nexpected {b!r}")
            break
    sys.exit(1)
print("ok")
