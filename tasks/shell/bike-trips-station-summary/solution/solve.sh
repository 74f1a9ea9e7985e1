#!/bin/bash
set -euo pipefail
python3 - <<'PY'
import csv
import sqlite3

db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE trips (start TEXT, end_ TEXT, duration INTEGER, member TEXT)")
with open("/app/data/trips.csv", newline="", encoding="utf-8") as fh:
    rows = [(r["start_station"], r["end_station"], int(r["duration_sec"]), r["member_type"]) for r in csv.DictReader(fh)]
db.executemany("INSERT INTO trips VALUES (?, ?, ?, ?)", rows)
result = db.execute(
    """
    SELECT start, COUNT(*) AS n,
           SUM(member = 'member'), SUM(member = 'casual'), SUM(start = end_),
           SUM(duration) / COUNT(*), MAX(duration)
    FROM trips WHERE duration >= 60
    GROUP BY start
    ORDER BY n DESC, CAST(start AS BLOB)
    """
).fetchall()
with open("/app/station_summary.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["station", "trips", "member_trips", "casual_trips", "round_trips", "avg_duration_sec", "max_duration_sec"])
    w.writerows(result)
PY
cat /app/station_summary.csv
