import re
import subprocess
import sys

log = subprocess.run(
    [sys.executable, "/tests/gen_log.py"], capture_output=True, text=True, check=True
).stdout
lines = log.split("\n")[:-1]
pattern = re.compile(r"^\S+ \[(ERROR|FATAL)\] ")
hits = [i for i, line in enumerate(lines) if pattern.match(line)]

keep = set()
for i in hits:
    keep.update(range(max(0, i - 2), min(len(lines), i + 4)))
expected = []
prev = None
for i in sorted(keep):
    if prev is not None and i != prev + 1:
        expected.append("--")
    expected.append(lines[i])
    prev = i
expected_text = "\n".join(expected) + "\n"

failures = []
try:
    with open("/app/errors.txt", encoding="utf-8") as fh:
        got = fh.read()
    if got != expected_text:
        got_lines = got.split("\n")
        for n, (a, b) in enumerate(zip(got_lines, expected_text.split("\n"), strict=False)):
            if a != b:
                failures.append(f"errors.txt line {n + 1}: got {a!r}, expected {b!r}")
                break
        else:
            failures.append(f"errors.txt has {len(got_lines)} lines, expected {len(expected) + 1}")
except OSError as exc:
    failures.append(f"cannot read /app/errors.txt: {exc}")

try:
    with open("/app/error_count.txt", encoding="utf-8") as fh:
        count = fh.read()
    if count.strip() != str(len(hits)):
        failures.append(f"error_count.txt says {count.strip()!r}, expected {len(hits)}")
except OSError as exc:
    failures.append(f"cannot read /app/error_count.txt: {exc}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
