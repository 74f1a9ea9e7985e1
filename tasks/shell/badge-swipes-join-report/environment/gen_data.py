"""Write a deterministic staff directory and door badge log into the given directory."""

import os
import random
import sys

rng = random.Random(4412)
first = [
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Eli",
    "Fatima",
    "Goran",
    "Hana",
    "Ivo",
    "Jun",
    "Kai",
    "Lena",
    "Mo",
    "Nia",
    "Omar",
    "Pia",
]
last = [
    "Novak",
    "Smith",
    "Li",
    "Okafor",
    "Garcia",
    "Berg",
    "Kim",
    "Rossi",
    "Haddad",
    "Ito",
    "Meyer",
    "Silva",
]
depts = [
    "Engineering",
    "Sales",
    "Customer Success",
    "Finance",
    "Legal",
    "Facilities",
    "HR",
    "Research",
]
weights = [10, 6, 5, 3, 1, 2, 2, 4]


def build():
    badges = rng.sample(range(100, 99999), 90)
    staff = []
    for b in badges:
        name = f"{rng.choice(first)} {rng.choice(last)}"
        login = (name.split()[0][0] + name.split()[1]).lower() + str(rng.randint(1, 99))
        staff.append(f"{b:05d}:{login}:{name}:{rng.choices(depts, weights)[0]}")
    known = [f"{b:05d}" for b in badges]
    # Legal staff never badge in; some people never show up at all.
    active = [s.split(":")[0] for s in staff if not s.endswith(":Legal")]
    active = rng.sample(active, 70)
    strangers = [f"{b:05d}" for b in rng.sample(range(100000), 12) if f"{b:05d}" not in known]
    swipes = ["timestamp,badge,door,result"]
    t = 0
    for _ in range(1500):
        t += rng.randint(1, 120)
        ts = f"2024-04-{2 + t // 86400:02d}T{t // 3600 % 24:02d}:{t // 60 % 60:02d}:{t % 60:02d}"
        badge = rng.choice(strangers) if rng.random() < 0.05 else rng.choice(active)
        result = "DENIED" if rng.random() < 0.12 else "GRANTED"
        swipes.append(f"{ts},{badge},{rng.choice(['D1', 'D2', 'D3', 'LOBBY', 'GARAGE'])},{result}")
    return "\n".join(staff) + "\n", "\n".join(swipes) + "\n"


if __name__ == "__main__":
    staff_text, swipe_text = build()
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "staff.txt"), "w") as fh:
        fh.write(staff_text)
    with open(os.path.join(out, "swipes.csv"), "w") as fh:
        fh.write(swipe_text)
