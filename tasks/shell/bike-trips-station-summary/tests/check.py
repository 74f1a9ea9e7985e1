import csv
import io
import subprocess
import sys

text = subprocess.run(
    [sys.executable, "/tests/make_trips.py"], capture_output=True, text=True, check=True
).stdout
stats = {}
for r in csv.DictReader(io.StringIO(text)):
    d = int(r["duration_sec"])
    if d < 60:
        continue
    s = stats.setdefault(
        r["start_station"], {"n": 0, "m": 0, "c": 0, "round": 0, "total": 0, "max": 0}
    )
    s["n"] += 1
    s["m"] += r["member_type"] == "member"
    s["c"] += r["member_type"] == "casual"
    s["round"] += r["start_station"] == r["end_station"]
    s["total"] += d
    s["max"] = max(s["max"], d)
expected = [
    [
        "station",
        "trips",
        "member_trips",
        "casual_trips",
        "round_trips",
        "avg_duration_sec",
        "max_duration_sec",
    ]
]
for name, s in sorted(stats.items(), key=lambda kv: (-kv[1]["n"], kv[0].encode())):
    expected.append(
        [
            name,
            str(s["n"]),
            str(s["m"]),
            str(s["c"]),
            str(s["round"]),
            str(s["total"] // s["n"]),
            str(s["max"]),
        ]
    )

with open("/app/data/trips.csv", encoding="utf-8", newline="") as fh:
    if fh.read() != text:
        sys.exit("/app/data/trips.csv was modified")
try:
    with open("/app/station_summary.csv", newline="", encoding="utf-8") as fh:
        got = list(csv.reader(fh))
except (OSError, UnicodeDecodeError, csv.Error) as exc:
    sys.exit(f"cannot read /app/station_summary.csv: {exc}")
if got != expected:
    print(f"station_summary.csv differs: {len(got)} rows, expected {len(expected)}")
    for w, g in zip(expected, got, strict=False):
        if w != g:
            print(f"first difference:\n  expected {w}\n  got      {g}")
            break
    sys.exit(1)
print("ok")
