import json
import os
import sys

RESULTS = "/app/results"
with open("/tests/expected.json") as fh:
    expected = json.load(fh)

errors = []
try:
    with open(os.path.join(RESULTS, "summary.tsv")) as fh:
        summary = fh.read()
except OSError as exc:
    sys.exit(f"cannot read summary.tsv: {exc}")
if summary.rstrip("\n").split("\n") != expected["summary"].rstrip("\n").split("\n"):
    errors.append(f"summary.tsv is {summary!r}")
for name, want in sorted(expected["files"].items()):
    path = os.path.join(RESULTS, name)
    try:
        with open(path) as fh:
            got = fh.read()
    except OSError:
        errors.append(f"{name} is missing")
        continue
    job = name.rsplit(".", 1)[0]
    if name.endswith(".err") and f"{job}\tTIMEOUT" in expected["summary"]:
        # A shell may report the stopped job ("Terminated", "Killed"): tolerate only that.
        got = "".join(
            line for line in got.splitlines(True) if not ("Terminated" in line or "Killed" in line)
        )
    if got != want:
        errors.append(f"{name}: expected {want!r}, got {got[:200]!r}")
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("ok")
