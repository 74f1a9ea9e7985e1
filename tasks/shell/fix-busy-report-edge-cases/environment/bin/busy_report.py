#!/usr/bin/env python3
"""Report how long each person is busy, from a schedule of time intervals.

Usage: busy_report.py SCHEDULE_FILE

SCHEDULE_FILE is UTF-8 text. Every line is "<name>,<start>,<end>". Blank lines
and lines whose first non-blank character is "#" are ignored; lines may end in
"\\r\\n". Names are trimmed of surrounding whitespace and then compared exactly.
<start> and <end> are times "H:MM" or "HH:MM" (00:00 to 23:59), possibly with
spaces around them.

An interval covers the minutes from <start> up to, but not including, <end>.
If <end> is earlier than <start>, the interval crosses midnight: it ends at
<end> on the next day (22:30-01:00 lasts 150 minutes). If <end> equals <start>
the interval is empty. All start times are on the same day.

A person's busy time is the total length of the union of their intervals:
time covered by several (overlapping, nested or repeated) intervals counts once.

Output: one line per person that appears in the file (also when the busy time
is zero), "<name>: <H>h<MM>m" (hours without padding, minutes as two digits,
e.g. "Ana: 2h05m"), sorted by busy time, longest first; persons with equal busy
times are sorted by name (by Unicode code point, ascending).
"""

import sys


def parse_time(text):
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def main():
    intervals = {}
    with open(sys.argv[1], encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, start, end = line.split(",")
            intervals.setdefault(name.strip(), []).append((start.strip(), end.strip()))

    busy = {}
    for name, spans in intervals.items():
        spans.sort()
        total = 0
        cur_start = cur_end = None
        for start, end in spans:
            start, end = parse_time(start), parse_time(end)
            if end < start:
                start, end = end, start
            if cur_end is not None and start <= cur_end:
                cur_end = end
            else:
                if cur_end is not None:
                    total += cur_end - cur_start
                cur_start, cur_end = start, end
        if cur_end is not None:
            total += cur_end - cur_start
        if total:
            busy[name] = total

    for name, total in sorted(busy.items(), key=lambda kv: -kv[1]):
        print(f"{name}: {total // 60}h{total % 60:02d}m")


if __name__ == "__main__":
    main()
