"""Write a deterministic contacts CSV with duplicate records to stdout."""

import random
import sys

rng = random.Random(2718)
first = [
    "Ada",
    "Bruno",
    "Carla",
    "Dmitri",
    "Eva",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Keiko",
    "Luis",
]
last = [
    "Lovelace",
    "Schulz",
    "Mendes",
    "Petrov",
    "Lind",
    "Haddad",
    "Berg",
    "Costa",
    "Ramos",
    "Weber",
]


def fmt_phone(d):
    return rng.choice(
        [
            d,
            f"({d[:3]}) {d[3:6]}-{d[6:]}",
            f"+1 {d[:3]} {d[3:6]} {d[6:]}",
            f"1-{d[:3]}-{d[3:6]}-{d[6:]}",
            f"{d[:3]}.{d[3:6]}.{d[6:]}",
        ]
    )


def fmt_email(e):
    return rng.choice([e, e, e.upper(), e.capitalize(), f" {e}", f"{e} "])


def ts():
    return f"2024-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.choice([0, 30]):02d}:00Z"


def quote(s):
    return f'"{s}"' if "," in s or s != s.strip() else s


people = []
for n in range(260):
    f, la = rng.choice(first), rng.choice(last)
    email = f"{f.lower()}.{la.lower()}{n}@example.{rng.choice(['com', 'org', 'net'])}"
    phone = str(rng.randint(200, 999)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    people.append((f, la, email, phone))

records = []
for f, la, email, phone in people:
    copies = rng.choices([1, 2, 3, 4], [60, 25, 10, 5])[0]
    for c in range(copies):
        name = rng.choice([f"{f} {la}", f"{la}, {f}", f"{f[0]}. {la}"])
        e = fmt_email(email)
        p = fmt_phone(phone)
        r = rng.random()
        if c > 0 and r < 0.35:
            e = ""  # duplicate found only through the phone
        elif c > 0 and r < 0.7:
            p = rng.choice(["", "555-01", fmt_phone(str(rng.randint(200, 999)) + "0000000")])
        records.append([name, e, p, ts()])

# Chains: A and B share an email, B and C share a phone, A and C share nothing.
for k in range(14):
    d1 = str(rng.randint(200, 999)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    d2 = str(rng.randint(200, 999)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    e1 = f"chain{k}@mail.example"
    e2 = f"chain{k}.alt@mail.example"
    stamp = ts()
    records.append([f"Chain {k}", fmt_email(e1), fmt_phone(d1), ts()])
    records.append([f"Chain {k}", fmt_email(e1), fmt_phone(d2), stamp])
    records.append([f"Chain, {k}", fmt_email(e2), fmt_phone(d2), stamp if k % 2 else ts()])

# Records without usable keys never match anything.
for k in range(10):
    records.append([f"Nobody {k}", "", rng.choice(["", "12345", "n/a"]), ts()])

rng.shuffle(records)
ids = rng.sample(range(1, 10000), len(records))
lines = ["id,name,email,phone,updated_at"]
for i, (name, e, p, t) in zip(ids, records, strict=True):
    lines.append(",".join([str(i), quote(name), quote(e), p, t]))
sys.stdout.write("\n".join(lines) + "\n")
