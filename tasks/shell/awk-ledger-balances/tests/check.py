import subprocess
import sys
from collections import defaultdict

text = subprocess.run(
    [sys.executable, "/tests/gen_ledger.py"], capture_output=True, text=True, check=True
).stdout


def cents(amount):
    whole, _, frac = amount.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def money(c):
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


count = defaultdict(int)
credit = defaultdict(int)
debit = defaultdict(int)
for line in text.splitlines():
    fields = line.split()
    if not fields or fields[0].startswith("#"):
        continue
    kind = fields[2].lower()
    if kind not in ("credit", "debit"):
        continue
    acct = fields[1]
    count[acct] += 1
    (credit if kind == "credit" else debit)[acct] += cents(fields[3])

expected = []
for acct in sorted(count, key=lambda a: a.encode()):
    c, d = credit[acct], debit[acct]
    expected.append(f"{acct}\t{count[acct]}\t{money(c)}\t{money(d)}\t{money(c - d)}")
tc, td = sum(credit.values()), sum(debit.values())
expected.append(f"TOTAL\t{sum(count.values())}\t{money(tc)}\t{money(td)}\t{money(tc - td)}")

try:
    with open("/app/balances.tsv", encoding="utf-8") as fh:
        got = fh.read().rstrip("\n").split("\n")
except OSError as exc:
    sys.exit(f"cannot read /app/balances.tsv: {exc}")
if got != expected:
    print(f"report differs: {len(got)} lines, expected {len(expected)}")
    for a, b in zip(got, expected, strict=False):
        if a != b:
            print(f"got      {a!r}\nexpected {b!r}")
            break
    sys.exit(1)
print("ok")
