import os
import random
import shutil
import subprocess
import sys
import tempfile

SCRIPT = "/app/bin/busy_report.py"


def fail(message):
    print(message)
    sys.exit(1)


def minutes(text):
    hours, mins = text.strip().split(":")
    return int(hours) * 60 + int(mins)


def reference(text):
    spans = {}
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, start, end = line.split(",")
        s, e = minutes(start), minutes(end)
        if e < s:
            e += 24 * 60
        spans.setdefault(name.strip(), []).append((s, e))
    busy = {}
    for name, items in spans.items():
        total, cur = 0, None
        for s, e in sorted(x for x in items if x[1] > x[0]):
            if cur and s <= cur[1]:
                cur[1] = max(cur[1], e)
            else:
                if cur:
                    total += cur[1] - cur[0]
                cur = [s, e]
        if cur:
            total += cur[1] - cur[0]
        busy[name] = total
    ranked = sorted(busy.items(), key=lambda kv: (-kv[1], kv[0]))
    return "".join(f"{name}: {t // 60}h{t % 60:02d}m\n" for name, t in ranked)


def fmt(m, pad):
    h, mm = divmod(m, 60)
    return f"{h:02d}:{mm:02d}" if pad else f"{h}:{mm:02d}"


def random_schedule(seed):
    rng = random.Random(seed)
    names = ["Ana", "Ben", "Chen", "Dara", "Émile", "Zoë", "Ørjan", "Li Wei", "Bo", "Ana-Maria"]
    lines = ["# generated schedule"]
    for _ in range(rng.randint(60, 90)):
        name = rng.choice(names)
        start = rng.randrange(0, 24 * 60, 5)
        kind = rng.random()
        if kind < 0.15:
            end = (start - rng.randrange(5, 300, 5)) % (24 * 60)  # crosses midnight
        elif kind < 0.2:
            end = start
        else:
            end = min(start + rng.randrange(5, 240, 5), 23 * 60 + 59)
        pad = rng.random() < 0.5
        sp = rng.choice(["", " ", "  "])
        lines.append(f"{sp}{name}{sp},{sp}{fmt(start, pad)},{fmt(end, pad)}{sp}")
        if rng.random() < 0.05:
            lines.append(rng.choice(["", "   ", "  # note", "#x,1:00,2:00"]))
    eol = "\r\n" if seed % 2 else "\n"
    return eol.join(lines) + eol


CASES = {
    "unpadded times.csv": "Eve,9:30,10:15\nEve,10:00,11:00\nEve,8:45,9:45\nFinn,9:00,9:50\nFinn,10:05,10:10\n",
    "nested.csv": "Fay,09:00,17:00\nFay,10:00,11:00\nFay,16:59,17:00\nGil,10:00,11:00\nGil,10:00,11:00\nGil,10:30,10:45\n",
    "midnight.csv": (
        "Gus,22:30,01:00\nGus,23:00,23:30\nGus,00:30,01:30\n"
        "Ivy,23:59,00:00\nJon,20:00,02:00\nJon,01:00,03:00\nJon,21:00,22:00\n"
    ),
    "zero and ties.csv": (
        "Hal,10:00,10:00\nZed,08:00,09:00\nAmy,13:00,14:00\nÉmile,07:00,08:00\n"
        "Bea,09:00,09:30\nBea,09:30,10:00\nKai,12:00,12:00\nKai,12:00,12:00\n"
    ),
    "messy format.csv": (
        "# schedule\r\n  # indented comment\r\n\r\n   \r\n"
        " Ana , 9:05 , 10:00 \r\nAna,10:00,10:30\r\nAna  ,  11:00,11:10\r\n"
        "Lee,00:00,23:59\r\nLee,23:59,00:00\r\n"
    ),
}
for seed in (1, 2, 3, 4):
    CASES[f"random {seed}.csv"] = random_schedule(seed)

if not (os.path.isfile(SCRIPT) and os.access(SCRIPT, os.X_OK)):
    fail(f"{SCRIPT} is missing or not executable")

tmp = tempfile.mkdtemp()
try:
    for name, text in CASES.items():
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        try:
            proc = subprocess.run(
                [SCRIPT, path],
                capture_output=True,
                timeout=30,
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            )
        except subprocess.TimeoutExpired:
            fail(f"{name}: the script timed out")
        if proc.returncode != 0:
            fail(f"{name}: the script failed: {proc.stderr.decode(errors='replace')[-400:]}")
        got = proc.stdout.decode("utf-8", "replace")
        want = reference(text)
        if got != want:
            fail(f"{name}: wrong output\nexpected:\n{want[:500]}\ngot:\n{got[:500]}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
