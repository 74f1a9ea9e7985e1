"""Create the /app/data tree (under BASE, default /app) that gets backed up."""

import os
import random
import sys

base = sys.argv[1] if len(sys.argv) > 1 else "/app"
rng = random.Random(2468)
root = os.path.join(base, "data")
dirs = [
    "",
    "projects",
    "projects/alpha",
    "projects/beta",
    "photos",
    "photos/2023 summer",
    "notes",
    "archive",
    "archive/old",
]
for d in dirs:
    os.makedirs(os.path.join(root, d), exist_ok=True)
names = ["readme", "plan", "budget", "todo", "draft", "image", "report", "list", "notes"]
for d in dirs:
    for i in range(rng.randint(2, 6)):
        name = f"{rng.choice(names)}-{i}{rng.choice(['.txt', '.md', '.csv', '.bin', ' copy.txt'])}"
        with open(os.path.join(root, d, name), "w") as fh:
            fh.write(
                "".join(f"{d}/{name} line {k} {rng.random()}\n" for k in range(rng.randint(1, 50)))
            )
    if rng.random() < 0.5:
        with open(os.path.join(root, d, f"scratch-{rng.randint(1, 9)}.tmp"), "w") as fh:
            fh.write("temporary\n")
with open(os.path.join(root, "notes", "meeting.txt"), "w") as fh:
    fh.write("meeting notes\n")
with open(os.path.join(root, "projects", "alpha", "run.sh"), "w") as fh:
    fh.write("#!/bin/sh\necho alpha\n")
os.chmod(os.path.join(root, "projects", "alpha", "run.sh"), 0o755)
with open(os.path.join(root, "archive", "old", "2019.csv"), "w") as fh:
    fh.write("year,total\n2019,42\n")
with open(os.path.join(root, "projects", "beta", "spec.md"), "w") as fh:
    fh.write("# beta spec\n")
