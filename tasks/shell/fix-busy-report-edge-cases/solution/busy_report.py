#!/usr/bin/env python3
"""Report how long each person is busy, from a schedule of time intervals.

Usage: busy_report.py SCHEDULE_FILE

(See the original docstring for the full specification.)
"""

import sys

DAY = 24 * 60


def parse_time(text):
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


def main():
    intervals = {}
    with open(sys.argv[1], encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, start, end = line.split(",")
            start, end = parse_time(start), parse_time(end)
            if end < start:  # crosses midnight
                end += DAY
            intervals.setdefault(name.strip(), []).append((start, end))

    busy = {}
    for name, spans in intervals.items():
        total = 0
        cur_start = cur_end = None
        for start, end in sorted(s for s in spans if s[1] > s[0]):
            if cur_end is not None and start <= cur_end:
                cur_end = max(cur_end, end)
            else:
                if cur_end is not None:
                    total += cur_end - cur_start
                cur_start, cur_end = start, end
        if cur_end is not None:
            total += cur_end - cur_start
        busy[name] = total

    for name, total in sorted(busy.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{name}: {total // 60}h{total % 60:02d}m")


if __name__ == "__main__":
    main()
