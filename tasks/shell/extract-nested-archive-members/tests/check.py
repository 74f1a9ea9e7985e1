import os
import sys

sys.path.insert(0, "/tests")
from gen_delivery import tar_members, vendor_members

tar = tar_members()
months = [tar[f"export/2024/{m:02d}/sales.csv"].decode().splitlines() for m in (4, 5, 6)]
expected = {
    "meta.json": tar["export/meta.json"],
    "2024-Q2.csv": ("\n".join([months[0][0]] + [r for m in months for r in m[1:]]) + "\n").encode(),
    "LICENSE": vendor_members()["LICENSE"],
}

failures = []
if not os.path.isdir("/app/out"):
    sys.exit("/app/out does not exist")
present = sorted(os.listdir("/app/out"))
if present != sorted(expected):
    failures.append(f"/app/out contains {present}, expected {sorted(expected)}")
for name, data in expected.items():
    path = f"/app/out/{name}"
    if not os.path.isfile(path):
        failures.append(f"{path} is missing")
        continue
    with open(path, "rb") as fh:
        got = fh.read()
    if got != data:
        failures.append(f"{path} has the wrong contents ({len(got)} bytes, expected {len(data)})")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
