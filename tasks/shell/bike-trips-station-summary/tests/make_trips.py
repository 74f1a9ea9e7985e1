"""Write a deterministic bike-share trips export as CSV to stdout."""

import csv
import random
import sys

rng = random.Random(606)
stations = [
    "Central Station",
    "Harbour Front",
    "Market St & 5th",
    "Museum, North Entrance",
    'The "Old Mill"',
    "University",
    "Parc Léopold",
    "Riverside",
    "Airport T1",
    "City Hall",
    "Zoo",
    "Bay View",
]
weights = [14, 9, 8, 6, 3, 10, 4, 7, 2, 9, 1, 5]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["trip_id", "start_station", "end_station", "start_time", "duration_sec", "member_type"])
for i in range(1, 2401):
    start = rng.choices(stations, weights)[0]
    end = start if rng.random() < 0.12 else rng.choices(stations, weights)[0]
    duration = rng.choice(
        [rng.randint(5, 59), rng.randint(60, 1800), rng.randint(60, 1800), rng.randint(1800, 20000)]
    )
    member = rng.choice(["member", "member", "member", "casual", "casual"])
    ts = f"2024-06-{rng.randint(1, 30):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    w.writerow([f"T{i:06d}", start, end, ts, duration, member])
