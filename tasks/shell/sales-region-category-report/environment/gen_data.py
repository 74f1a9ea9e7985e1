"""Write deterministic products/customers/orders CSV files into the given directory."""

import csv
import io
import os
import random
import sys


def to_csv(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def build():
    rng = random.Random(6543)
    cats = ["Garden", "Home & Kitchen", "Tools", "Toys", "Outdoor, Camping", "Books"]
    products = []
    pids = rng.sample(range(100, 999), 45)
    for pid in pids:
        base = rng.choice(["Widget", "Gadget", "Lamp", "Tent", "Saw", "Novel"])
        name = base + rng.choice(["", ", large", ", small", ' "Pro"'])
        price = f"{rng.randint(1, 300)}.{rng.randint(0, 99):02d}"
        products.append([f"P{pid}", name, rng.choice(cats), price])
    regions = ["North", "South", "East", "West", "Central", ""]
    customers = []
    cids = rng.sample(range(1000, 9999), 120)
    for cid in cids:
        name = f"{rng.choice(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'])}{rng.choice(['', ', Inc.', ' Ltd', ', LLC'])}"
        customers.append([f"C{cid}", name, rng.choice(regions)])
    orders = []
    for n in range(1, 420):
        cid = f"C{rng.choice(cids)}" if rng.random() > 0.03 else "C0000"
        date = f"{rng.choice([2023, 2024, 2024, 2024])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        status = rng.choice(["completed"] * 6 + ["cancelled", "refunded", "pending"])
        for line in range(1, rng.randint(2, 5)):
            pid = f"P{rng.choice(pids)}" if rng.random() > 0.03 else "P000"
            orders.append([f"SO-{n:05d}", line, cid, pid, rng.randint(1, 9), date, status])
    rng.shuffle(orders)
    return (
        to_csv(["product_id", "name", "category", "unit_price"], products),
        to_csv(["customer_id", "name", "region"], customers),
        to_csv(
            [
                "order_id",
                "line_no",
                "customer_id",
                "product_id",
                "quantity",
                "order_date",
                "status",
            ],
            orders,
        ),
    )


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in zip(("products.csv", "customers.csv", "orders.csv"), build(), strict=True):
        with open(os.path.join(out, name), "w") as fh:
            fh.write(text)
