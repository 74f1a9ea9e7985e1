import csv
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal

SCRIPT = "/app/bin/top_customers.py"


def fail(message):
    print(message)
    sys.exit(1)


def expected(path, n):
    totals = defaultdict(Decimal)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    for _, customer, amount, status in rows:
        if status == "paid":
            totals[customer] += Decimal(amount)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return "".join(f"{i}. {c}: {t:.2f}\n" for i, (c, t) in enumerate(ranked, start=1))


def run(path, n):
    try:
        proc = subprocess.run(
            [SCRIPT, path, str(n)],
            capture_output=True,
            timeout=30,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
    except subprocess.TimeoutExpired:
        fail(f"the script timed out on {os.path.basename(path)}")
    if proc.returncode != 0:
        fail(
            f"the script failed on {os.path.basename(path)}: {proc.stderr.decode(errors='replace')[-400:]}"
        )
    return proc.stdout.decode("utf-8", "replace")


if not (os.path.isfile(SCRIPT) and os.access(SCRIPT, os.X_OK)):
    fail(f"{SCRIPT} is missing or not executable")

tmp = tempfile.mkdtemp()
try:
    cases = []
    for seed, n in ((7, 5), (101, 8), (2024, 12), (5, 3)):
        path = os.path.join(tmp, f"orders {seed}.csv")
        subprocess.run([sys.executable, "/tests/gen_orders.py", path, str(seed)], check=True)
        cases.append((path, n))
    small = os.path.join(tmp, "small.csv")
    with open(small, "w", encoding="utf-8", newline="") as fh:
        fh.write(
            "order_id,customer,amount,status\r\n"
            '1,"Quote ""Q"" Inc",10.10,paid\r\n'
            "2,Zed,10.10,paid\r\n"
            "3,Zed,0.2,paid\r\n"
            "4,Ärger AG,10.40,paid\r\n"
            "5,Never Paid,99.00,pending\r\n"
            "6,Alpha,10.40,paid\r\n"
            "7,Ärger AG,5,refunded\r\n"
            "8,Zed,0.1,paid\r\n"
        )
    cases += [(small, 10), (small, 2), (small, 0)]
    for path, n in cases:
        want, got = expected(path, n), run(path, n)
        if got != want:
            fail(
                f"wrong output for {os.path.basename(path)} N={n}:\nexpected:\n{want[:400]}\ngot:\n{got[:400]}"
            )
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
