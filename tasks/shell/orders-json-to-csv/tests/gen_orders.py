"""Write a deterministic JSON export of web shop orders."""

import json
import random
import sys

rng = random.Random(7719)
first = [
    "Ada",
    "Grace",
    "Linus",
    "Ken",
    "Barbara",
    "Dennis",
    "Margaret",
    "Alan",
    "Edsger",
    "Frances",
]
last = [
    "Lovelace",
    "Hopper",
    "Torvalds",
    "Thompson",
    "Liskov",
    "Ritchie",
    "Hamilton",
    "Turing",
    "Dijkstra",
    "Allen",
]
domains = ["Example.com", "mail.example.org", "EXAMPLE.net", "shop.test"]
skus = {f"SKU-{n:03d}": rng.randint(99, 9999) / 100 for n in range(1, 41)}
statuses = ["shipped"] * 5 + ["pending"] * 2 + ["cancelled", "refunded"]

orders = []
ids = rng.sample(range(1000, 9999), 150)
for n, oid in enumerate(ids):
    given, family = rng.choice(first), rng.choice(last)
    email = f"{given}.{family}{rng.randint(1, 99)}@{rng.choice(domains)}"
    style = rng.random()
    if style < 0.25:
        email = email.upper()
    elif style < 0.45:
        email = "  " + email + " "
    items = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 5]) if n % 37 else 0):
        sku = rng.choice(sorted(skus))
        items.append({"sku": sku, "qty": rng.randint(1, 6), "unit_price": skus[sku]})
    orders.append(
        {
            "id": f"ORD-{oid}",
            "placed_at": f"2024-0{rng.randint(1, 9)}-{rng.randint(10, 28)}T{rng.randint(10, 23)}:{rng.randint(10, 59)}:00Z",
            "status": rng.choice(statuses),
            "customer": {"name": f"{given} {family}", "email": email},
            "items": items,
            "note": rng.choice([None, "gift wrap", 'leave at door, "back" entrance', "call first"]),
        }
    )

json.dump({"exported_at": "2024-10-01T00:00:00Z", "orders": orders}, sys.stdout, indent=2)
sys.stdout.write("\n")
