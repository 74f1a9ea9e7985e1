"""Write a hours-report input directory: people.csv, rates.txt and timesheets/*.log."""

import csv
import os
import random
import sys


def make(root, seed):
    rng = random.Random(seed)
    os.makedirs(os.path.join(root, "timesheets"), exist_ok=True)
    teams = rng.sample(
        ["ops", "web", "data", "mobile", "infra", "design", "qa", "sales-eng"], rng.randint(3, 6)
    )
    first = [
        "Ann",
        "Bob",
        "Chen",
        "Dana",
        "Eve",
        "Femi",
        "Gus",
        "Hana",
        "Ivo",
        "Jo",
        "Kai",
        "Lea",
        "Mo",
        "Nia",
    ]
    last = ["Smith", "O'Neil", "Doe", "Garc\u00eda", "Lee", "Brown", "Kowalski"]
    people = []
    for i in range(rng.randint(10, 25)):
        pid = f"E{rng.randint(100, 999)}{i}"
        name = (
            f"{rng.choice(last)}, {rng.choice(first)}"
            if rng.random() < 0.4
            else f"{rng.choice(first)} {rng.choice(last)}"
        )
        if rng.random() < 0.1:
            name = f'{name} "the {rng.choice(["boss", "new one"])}"'
        people.append((pid, name, rng.choice(teams)))
    columns = ["id", "name", "team", "email"]
    rng.shuffle(columns)
    with open(os.path.join(root, "people.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for pid, name, team in people:
            record = {"id": pid, "name": name, "team": team, "email": f"{pid.lower()}@example.com"}
            w.writerow([record[c] for c in columns])
    with open(os.path.join(root, "rates.txt"), "w", encoding="utf-8") as fh:
        fh.write("# team  hourly rate\n")
        for t in teams:
            if rng.random() < 0.85:
                fh.write(f"{t}{rng.choice([' ', '  ', chr(9)])}{rng.randint(40, 160)}\n")
        fh.write("\n# contractors are billed elsewhere\n")
    ids = [p[0] for p in people]
    for day in range(1, rng.randint(4, 9)):
        lines = [f"# timesheet for 2024-05-{day:02d}"]
        for _ in range(rng.randint(3, 20)):
            pid = rng.choice(ids) if rng.random() < 0.93 else f"X{rng.randint(1, 99)}"
            hours = rng.randint(1, 40) / 4
            h = f"{hours:g}" if rng.random() < 0.5 else f"{hours:.2f}"
            sep = rng.choice([" ", "  ", "\t", " \t "])
            lines.append(f"2024-05-{day:02d}{sep}{pid}{sep}{h}")
            if rng.random() < 0.1:
                lines.append("")
        with open(
            os.path.join(root, "timesheets", f"2024-05-{day:02d}.log"), "w", encoding="utf-8"
        ) as fh:
            fh.write("\n".join(lines) + "\n")
    with open(os.path.join(root, "timesheets", "README"), "w") as fh:
        fh.write("only *.log files are timesheets\n2024-05-01 E1000 99\n")


if __name__ == "__main__":
    make(sys.argv[1], int(sys.argv[2]))
