"""Write a deterministic whitespace-separated ledger."""

import random
import sys

rng = random.Random(30303)
accounts = [f"ACC-{n:04d}" for n in rng.sample(range(1, 9999), 24)]
memos = [
    "",
    "salary",
    "rent march",
    "refund for debit 42.00",
    "card payment credit 10",
    "transfer to savings",
    "fee",
    "invoice 2024-117",
    "hold released",
]
types = ["credit", "debit", "debit", "Credit", "DEBIT", "credit", "hold", "void"]


def amount():
    cents = rng.randint(1, 250000)
    style = rng.random()
    if style < 0.1 and cents % 100 == 0:
        return str(cents // 100)
    if style < 0.2 and cents % 10 == 0:
        return f"{cents // 100}.{(cents // 10) % 10}"
    return f"{cents // 100}.{cents % 100:02d}"


def sep():
    return rng.choice([" ", " ", "  ", "\t", " \t "])


out = ["# ledger export v2", "# date account type amount memo", ""]
for i in range(720):
    day = f"2024-{1 + i // 60:02d}-{1 + i % 28:02d}"
    acct = rng.choice(accounts)
    typ = rng.choice(types)
    memo = rng.choice(memos)
    fields = [day, acct, typ, amount()]
    line = sep().join(fields)
    if memo:
        line += sep() + memo
    if rng.random() < 0.1:
        line = rng.choice(["", "   ", "# reconciliation checkpoint " + day, "  # moved to archive"])
    if rng.random() < 0.15:
        line = sep() + line
    out.append(line)
# An account whose credits and debits cancel out exactly.
for day, typ, amt in [
    ("2024-03-03", "credit", "10.10"),
    ("2024-04-04", "credit", "20.20"),
    ("2024-05-05", "debit", "30.30"),
    ("2024-06-06", "credit", "0.70"),
    ("2024-06-07", "debit", "0.10"),
    ("2024-06-08", "debit", "0.60"),
]:
    out.insert(rng.randint(3, len(out)), f"{day} ACC-5000 {typ} {amt} zero-sum test")
sys.stdout.write("\n".join(out) + "\n")
