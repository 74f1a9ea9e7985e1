import csv
import os
import re
import sys
import tempfile

sys.path.insert(0, "/tests")
import make_ledgers

INVOICE = re.compile(r"(?<![a-z])inv[ \-#:.]*([0-9]{1,5})(?![0-9])", re.I)


def eu(text):
    neg = text.startswith("-")
    whole, frac = text.lstrip("-").replace(".", "").split(",")
    return (-1 if neg else 1) * (int(whole) * 100 + int(frac))


def bk(text):
    neg = text.startswith("(")
    whole, frac = text.strip("()").split(".")
    return (-1 if neg else 1) * (int(whole) * 100 + int(frac))


def money(c):
    return "" if c is None else f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}"


with tempfile.TemporaryDirectory() as tmp:
    make_ledgers.write(tmp)
    with open(os.path.join(tmp, "bank", "statement-2024-04.csv"), "rb") as fh:
        bank_bytes = fh.read()
    with open(os.path.join(tmp, "books", "ledger-2024-04.tsv"), "rb") as fh:
        books_bytes = fh.read()

bank, unidentified, books = {}, [], {}
lines = bank_bytes.decode("utf-8-sig").split("\r\n")
for n, row in enumerate(csv.reader(lines[1:-1]), start=2):
    date, desc, amount, ref = row
    m = INVOICE.search(ref) or INVOICE.search(desc)
    if m:
        key = f"INV-{int(m.group(1)):05d}"
        bank[key] = bank.get(key, 0) + eu(amount)
    else:
        unidentified.append((n, eu(amount)))
for line in books_bytes.decode().splitlines()[1:]:
    t, day, inv, amount, status, memo = line.split("\t")
    if status != "void":
        books[inv] = books.get(inv, 0) + bk(amount)

expected = [["invoice", "status", "books_amount", "bank_amount", "difference"]]
counts = {}
for inv in sorted(set(bank) | set(books)):
    b, k = books.get(inv), bank.get(inv)
    if b == k:
        continue
    status = (
        "MISSING_IN_BANK" if k is None else "MISSING_IN_BOOKS" if b is None else "AMOUNT_MISMATCH"
    )
    counts[status] = counts.get(status, 0) + 1
    expected.append([inv, status, money(b), money(k), money((k or 0) - (b or 0))])
for n, amount in unidentified:
    expected.append([f"LINE-{n}", "UNIDENTIFIED", "", money(amount), money(amount)])
assert len(counts) == 3 and len(unidentified) >= 5, counts

for path, data in (
    ("/app/bank/statement-2024-04.csv", bank_bytes),
    ("/app/books/ledger-2024-04.tsv", books_bytes),
):
    with open(path, "rb") as fh:
        if fh.read() != data:
            sys.exit(f"{path} was modified")
try:
    with open("/app/reconciliation.csv", encoding="utf-8", newline="") as fh:
        got = [row for row in csv.reader(fh)]
except (OSError, UnicodeDecodeError, csv.Error) as exc:
    sys.exit(f"cannot read /app/reconciliation.csv: {exc}")
if got != expected:
    print(f"reconciliation.csv has {len(got)} rows, expected {len(expected)}")
    missing = [r for r in expected if r not in got]
    extra = [r for r in got if r not in expected]
    print("expected but missing:", missing[:5])
    print("unexpected:", extra[:5])
    if not missing and not extra:
        print("the rows are in the wrong order")
    sys.exit(1)
print(f"ok: {len(expected) - 1} rows")
