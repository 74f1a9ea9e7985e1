import json
import subprocess
import sys
from datetime import UTC, datetime

text = subprocess.run(
    [sys.executable, "/tests/gen_events.py"], capture_output=True, text=True, check=True
).stdout
expected, bad = [], []
for n, line in enumerate(text.split("\n")[:-1], 1):
    if not line.strip():
        continue
    try:
        ev = json.loads(line)
    except ValueError:
        bad.append(n)
        continue
    res = ev.get("result") or {}
    if (
        ev.get("kind") == "job_finished"
        and res.get("status") == "failed"
        and ev["pipeline"]["branch"] == "main"
    ):
        expected.append(
            {
                "id": ev["id"],
                "time": datetime.fromtimestamp(ev["ts"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "pipeline": ev["pipeline"]["id"],
                "job": ev["job"]["name"],
                "duration_s": res["duration_s"],
                "exit_code": res.get("exit_code"),
                "flaky": "flaky" in (ev.get("tags") or []),
            }
        )
assert bad and len(expected) > 20
assert any(e["exit_code"] is None for e in expected)

failures = []
try:
    with open("/app/failures.jsonl", encoding="utf-8") as fh:
        got = [json.loads(line) for line in fh if line.strip()]
    if got != expected:
        failures.append(f"failures.jsonl: {len(got)} objects, expected {len(expected)}")
        for a, b in zip(got, expected, strict=False):
            if a != b:
                failures.append(f"  got {a}\n  expected {b}")
                break
except (OSError, ValueError) as exc:
    failures.append(f"cannot read /app/failures.jsonl as JSON lines: {exc}")
try:
    with open("/app/bad_lines.txt", encoding="utf-8") as fh:
        got_bad = fh.read().split()
    if got_bad != [str(n) for n in bad]:
        failures.append(f"bad_lines.txt: got {got_bad}, expected {bad}")
except OSError as exc:
    failures.append(f"cannot read /app/bad_lines.txt: {exc}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
