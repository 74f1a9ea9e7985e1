import csv
import io
import sys
from collections import defaultdict

sys.path.insert(0, "/tests")
from gen_data import build

products_text, customers_text, orders_text = build()


def rows(text):
    return list(csv.reader(io.StringIO(text)))[1:]


products = {r[0]: (r[2], round(float(r[3]) * 100)) for r in rows(products_text)}
region = {r[0]: r[2] for r in rows(customers_text)}
agg = defaultdict(lambda: [set(), 0, 0])
for oid, _line, cid, pid, qty, date, status in rows(orders_text):
    if status != "completed" or date[:4] != "2024" or pid not in products:
        continue
    cat, price_cents = products[pid]
    a = agg[(region.get(cid) or "UNKNOWN", cat)]
    a[0].add(oid)
    a[1] += int(qty)
    a[2] += int(qty) * price_cents
expected = [["region", "category", "orders", "units", "revenue"]]
for (reg, cat), (oids, units, cents) in sorted(
    agg.items(), key=lambda kv: (kv[0][0].encode(), -kv[1][2], kv[0][1].encode())
):
    expected.append([reg, cat, str(len(oids)), str(units), f"{cents // 100}.{cents % 100:02d}"])

try:
    with open("/app/report.csv", newline="", encoding="utf-8") as fh:
        got = [r for r in csv.reader(fh)]
except (OSError, csv.Error, UnicodeDecodeError) as exc:
    sys.exit(f"cannot read /app/report.csv: {exc}")
if got != expected:
    print(f"report.csv differs: {len(got)} rows, expected {len(expected)}")
    for a, b in zip(got, expected, strict=False):
        if a != b:
            print(f"got      {a}\nexpected {b}")
            break
    sys.exit(1)
print("ok")
