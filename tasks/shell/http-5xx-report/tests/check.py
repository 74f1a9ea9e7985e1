import collections
import subprocess
import sys

log = subprocess.run(
    [sys.executable, "/tests/gen_log.py"], capture_output=True, text=True, check=True
).stdout
counts = collections.Counter()
for line in log.splitlines():
    parts = line.split('"')
    request, rest = parts[1], parts[2].split()
    status = int(rest[0])
    if 500 <= status <= 599 and request != "-":
        path = request.split()[1].split("?", 1)[0]
        counts[path] += 1
expected = [f"{n} {p}" for p, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode()))]

try:
    with open("/app/report.txt", encoding="utf-8") as fh:
        got = fh.read()
except OSError as exc:
    sys.exit(f"cannot read /app/report.txt: {exc}")
got_lines = [line.rstrip() for line in got.rstrip("\n").split("\n")]
if got_lines != expected:
    print("report does not match")
    print("expected:", expected[:5], "...")
    print("got:     ", got_lines[:5], "...")
    sys.exit(1)
print("ok")
