"""Write a deterministic sample orders file (UTF-8 CSV) to sys.argv[1] (seed in sys.argv[2])."""

import csv
import random
import sys

path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
customers = [
    "Ana Pérez",
    "Björn Åberg",
    "Chloé Martin",
    "Smith, John",
    "Zoë Zimmermann",
    "Łukasz Nowak",
    "O'Brien & Sons",
    "Müller GmbH",
    "Ada Lovelace",
    "Grace Hopper",
    "張偉",
    "Émile Zola",
]
statuses = ["paid"] * 6 + ["refunded", "pending", "Paid", "cancelled"]
with open(path, "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["order_id", "customer", "amount", "status"])
    for i in range(rng.randint(150, 220)):
        w.writerow(
            [
                f"A{10000 + i}",
                rng.choice(customers),
                f"{rng.randint(1, 40000) / 100:.2f}",
                rng.choice(statuses),
            ]
        )
    # Two customers tie exactly; the final row matters.
    w.writerow(["T1", "Tie Zulu", "5000.00", "paid"])
    w.writerow(["T2", "Tie Alpha", "2500.00", "paid"])
    w.writerow(["T3", "Tie Alpha", "2500.00", "paid"])
    w.writerow(["T4", "Last Row Ltd", "9999.99", "paid"])
