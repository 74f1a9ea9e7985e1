"""Write deterministic warehouse and catalog JSON files into the given directory."""

import json
import os
import random
import sys


def build():
    rng = random.Random(90210)
    skus = [f"SKU-{n}" for n in sorted(rng.sample(range(1000, 9999), 60))]
    catalog = {}
    for sku in skus:
        if rng.random() < 0.9:
            catalog[sku] = {
                "name": f"{rng.choice(['Steel', 'Oak', 'Glass', 'Nylon', 'Brass'])} {rng.choice(['bolt', 'hinge', 'panel', 'strap', 'valve', 'bracket'])} {rng.randint(1, 99)}",
                "category": rng.choice(["hardware", "fittings", "panels"]),
            }
    catalog["SKU-0001"] = {"name": "Gift card", "category": "virtual"}
    warehouses = []
    for code, city in [
        ("BER", "Berlin"),
        ("HAM", "Hamburg"),
        ("MUC", "Munich"),
        ("VIE", "Vienna"),
        ("ZRH", "Zurich"),
        ("OLD", "Leipzig"),
    ]:
        bins = []
        for b in range(rng.randint(4, 9)):
            items = []
            for sku in rng.sample(skus, rng.randint(3, 10)):
                item = {"sku": sku}
                r = rng.random()
                if r < 0.08:
                    item["qty"] = None
                elif r > 0.12:
                    item["qty"] = rng.randint(0, 40)
                if rng.random() < 0.6:
                    item["reserved"] = rng.randint(0, 12)
                if rng.random() < 0.07:
                    item["discontinued"] = True
                elif rng.random() < 0.2:
                    item["discontinued"] = False
                items.append(item)
            bins.append({"bin": f"{chr(65 + b)}-{rng.randint(1, 30):02d}", "items": items})
        wh = {"code": code, "city": city, "bins": bins}
        if code == "OLD":
            wh["active"] = False
        elif rng.random() < 0.5:
            wh["active"] = True
        warehouses.append(wh)
    return {"generated_at": "2024-07-01T06:00:00Z", "warehouses": warehouses}, catalog


if __name__ == "__main__":
    stock, catalog = build()
    os.makedirs(sys.argv[1], exist_ok=True)
    with open(os.path.join(sys.argv[1], "warehouses.json"), "w") as fh:
        json.dump(stock, fh, indent=2)
    with open(os.path.join(sys.argv[1], "catalog.json"), "w") as fh:
        json.dump(catalog, fh, indent=2)
