import os
import random
import shutil
import subprocess
import sys
import time

INCOMING = "/app/data/incoming"
PROCESSED = "/app/data/processed"
REPORTS = "/app/reports"


def fail(message):
    print(message)
    sys.exit(1)


# The job line must keep its schedule; there must be exactly one job.
try:
    with open("/app/cron/crontab") as fh:
        lines = [line.strip() for line in fh]
except OSError:
    fail("/app/cron/crontab is missing")
jobs = []
for line in lines:
    if not line or line.startswith("#"):
        continue
    fields = line.split(None, 5)
    if "=" in line and (len(fields) < 6 or "=" in fields[0]):
        if fields[0].split("=", 1)[0].strip() == "BASH_ENV":
            fail("the crontab sets BASH_ENV")
        continue
    jobs.append(fields)
if len(jobs) != 1 or jobs[0][:5] != ["15", "2", "*", "*", "*"]:
    fail(f"the crontab must have exactly one job with the schedule '15 2 * * *': {jobs}")

# Pristine tools, no startup files, fresh data.
shutil.copyfile("/tests/csvsum", "/app/tools/csvsum")
os.chmod("/app/tools/csvsum", 0o755)
for name in (".bashrc", ".profile", ".bash_profile", ".bash_login"):
    path = os.path.join("/root", name)
    if os.path.lexists(path):
        os.remove(path)
for d in (INCOMING, PROCESSED):
    shutil.rmtree(d, ignore_errors=True)
os.makedirs(INCOMING)
os.makedirs(PROCESSED)
os.makedirs(REPORTS, exist_ok=True)
for name in os.listdir(REPORTS):
    path = os.path.join(REPORTS, name)
    if os.path.isfile(path) or os.path.islink(path):
        os.remove(path)
with open(os.path.join(REPORTS, "history.log"), "w") as fh:
    fh.write("3 files processed\n")

rng = random.Random(20240611)
regions = ["north", "North", "south-east", "Süd", "west", "east", "central"]
totals = {}
csvs = ["branch 7.csv", "store-12.csv", "outlet (old).csv", "z.csv"]
for name in csvs:
    with open(os.path.join(INCOMING, name), "w", encoding="utf-8") as fh:
        for _ in range(rng.randint(5, 30)):
            region, amount = rng.choice(regions), rng.randint(1, 250000)
            totals[region] = totals.get(region, 0) + amount
            fh.write(f"{region},{amount}\n")
others = {"notes.txt": "not a csv\n", "old.csv.bak": "north,5\n"}
for name, text in others.items():
    with open(os.path.join(INCOMING, name), "w") as fh:
        fh.write(text)

day_before = time.strftime("%Y%m%d")
proc = subprocess.run(
    [sys.executable, "/tests/run_like_cron.py", "/app/cron/crontab"],
    capture_output=True,
    text=True,
    timeout=60,
)
day_after = time.strftime("%Y%m%d")
details = proc.stderr[-800:]

logs = [f"cron-{d}.log" for d in {day_before, day_after}]
if not any(os.path.isfile(os.path.join(REPORTS, name)) for name in logs):
    fail(f"no log file {logs[0]} in {REPORTS} (run-like-cron said: {details})")
want = "".join(f"{r} {t}\n" for r, t in sorted(totals.items(), key=lambda kv: kv[0].encode()))
try:
    with open(os.path.join(REPORTS, "summary.txt"), encoding="utf-8") as fh:
        got = fh.read()
except OSError:
    fail(f"{REPORTS}/summary.txt was not written (run-like-cron said: {details})")
if got != want:
    fail(f"summary.txt is wrong:\n{got[:300]}\nexpected:\n{want[:300]}")
if sorted(os.listdir(INCOMING)) != sorted(others):
    fail(f"incoming should only hold the non-csv files now: {sorted(os.listdir(INCOMING))}")
if sorted(os.listdir(PROCESSED)) != sorted(csvs):
    fail(f"processed holds {sorted(os.listdir(PROCESSED))}, expected {sorted(csvs)}")
with open(os.path.join(REPORTS, "history.log")) as fh:
    history = fh.read()
if history != "3 files processed\n4 files processed\n":
    fail(f"history.log is {history!r}")
print("ok")
