import json
import sys
from collections import defaultdict

sys.path.insert(0, "/tests")
from gen_data import build

stock, catalog = build()
per = defaultdict(lambda: defaultdict(int))
for wh in stock["warehouses"]:
    if wh.get("active") is False:
        continue
    for b in wh["bins"]:
        for item in b["items"]:
            if item.get("discontinued") is True:
                continue
            avail = (item.get("qty") or 0) - (item.get("reserved") or 0)
            per[item["sku"]][wh["code"]] += avail
expected = []
for sku, by_wh in per.items():
    total = sum(by_wh.values())
    if total > 0:
        expected.append(
            {
                "sku": sku,
                "name": catalog.get(sku, {}).get("name"),
                "available": total,
                "warehouses": {c: n for c, n in by_wh.items() if n > 0},
            }
        )
expected.sort(key=lambda o: (-o["available"], o["sku"]))

try:
    with open("/app/stock.json", encoding="utf-8") as fh:
        got = json.load(fh)
except (OSError, ValueError) as exc:
    sys.exit(f"cannot read /app/stock.json as JSON: {exc}")
if got != expected:
    if not isinstance(got, list):
        sys.exit("stock.json is not a JSON array")
    print(f"stock.json differs: {len(got)} entries, expected {len(expected)}")
    for a, b in zip(got, expected, strict=False):
        if a != b:
            print(f"got      {json.dumps(a)}\nexpected {json.dumps(b)}")
            break
    sys.exit(1)
print("ok")
