import csv
import sys

sys.path.insert(0, "/tests")
import make_report

expected = [["account", "date", "description", "amount"]]
for acct, (m, d, y), desc, debit, credit, rev in make_report.records():
    cents = debit if debit is not None else -credit
    if rev:
        cents = -cents
    sign = "-" if cents < 0 else ""
    expected.append(
        [
            str(acct),
            f"{y}-{m:02d}-{d:02d}",
            desc,
            f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}",
        ]
    )

with open("/app/reports/gl-2024-03.txt", encoding="utf-8") as fh:
    if fh.read() != make_report.report():
        sys.exit("the report file was modified")
try:
    with open("/app/ledger.csv", newline="", encoding="utf-8") as fh:
        got = list(csv.reader(fh))
except (OSError, UnicodeDecodeError, csv.Error) as exc:
    sys.exit(f"cannot read /app/ledger.csv as CSV: {exc}")
if got != expected:
    print(f"ledger.csv has {len(got)} rows (incl. header), expected {len(expected)}")
    for i, (w, g) in enumerate(zip(expected, got, strict=False)):
        if w != g:
            print(f"first difference in row {i + 1}:\n  expected {w}\n  got      {g}")
            break
    sys.exit(1)
print(f"ok: {len(expected) - 1} rows")
