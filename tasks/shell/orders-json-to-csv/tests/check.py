import json
import subprocess
import sys

data = json.loads(
    subprocess.run(
        [sys.executable, "/tests/gen_orders.py"], capture_output=True, text=True, check=True
    ).stdout
)
rows = []
for order in data["orders"]:
    if order["status"] != "shipped":
        continue
    cents = sum(item["qty"] * round(item["unit_price"] * 100) for item in order["items"])
    qty = sum(item["qty"] for item in order["items"])
    rows.append((order["id"], order["customer"]["email"].strip().lower(), qty, cents))
rows.sort(key=lambda r: (-r[3], r[0]))
expected = ["order_id,email,items,total"] + [
    f"{oid},{email},{qty},{cents // 100}.{cents % 100:02d}" for oid, email, qty, cents in rows
]

try:
    with open("/app/out/shipped.csv", encoding="utf-8", newline="") as fh:
        text = fh.read()
except OSError as exc:
    sys.exit(f"cannot read /app/out/shipped.csv: {exc}")
got = text.replace("\r\n", "\n").rstrip("\n").split("\n")
if got != expected:
    print(f"mismatch: expected {len(expected)} lines, got {len(got)}")
    for i, (e, g) in enumerate(zip(expected, got, strict=False)):
        if e != g:
            print(f"first difference at line {i + 1}: expected {e!r}, got {g!r}")
            break
    sys.exit(1)
print("ok")
