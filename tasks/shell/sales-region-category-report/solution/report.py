"""Revenue per region and category from the three CSV files."""

import csv
from collections import defaultdict
from decimal import Decimal


def read(name):
    with open(f"/app/data/{name}", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


products = {p["product_id"]: p for p in read("products.csv")}
region_of = {c["customer_id"]: c["region"] for c in read("customers.csv")}
orders = defaultdict(set)
units = defaultdict(int)
revenue = defaultdict(Decimal)
for line in read("orders.csv"):
    if line["status"] != "completed" or not line["order_date"].startswith("2024-"):
        continue
    product = products.get(line["product_id"])
    if product is None:
        continue
    key = (region_of.get(line["customer_id"]) or "UNKNOWN", product["category"])
    qty = int(line["quantity"])
    orders[key].add(line["order_id"])
    units[key] += qty
    revenue[key] += qty * Decimal(product["unit_price"])

rows = sorted(revenue, key=lambda k: (k[0].encode(), -revenue[k], k[1].encode()))
with open("/app/report.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["region", "category", "orders", "units", "revenue"])
    for k in rows:
        w.writerow([k[0], k[1], len(orders[k]), units[k], f"{revenue[k]:.2f}"])
