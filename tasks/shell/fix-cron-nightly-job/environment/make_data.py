"""Sample incoming sales files."""

import os
import random

rng = random.Random(99)
os.makedirs("/app/data/incoming", exist_ok=True)
os.makedirs("/app/data/processed", exist_ok=True)
os.makedirs("/app/reports", exist_ok=True)
for store in ("store-01", "store-02", "store 03"):
    with open(f"/app/data/incoming/{store}.csv", "w") as fh:
        for _ in range(20):
            fh.write(
                f"{rng.choice(['north', 'south', 'east', 'west'])},{rng.randint(100, 99999)}\n"
            )
with open("/app/data/incoming/README.txt", "w") as fh:
    fh.write("Drop the stores' CSV exports here.\n")
