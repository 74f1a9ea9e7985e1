"""Write a deterministic, deliberately messy customer CSV export (bytes) to stdout."""

import random
import sys

rng = random.Random(8086)
first = [
    "José",
    "Zoë",
    "Anna",
    "Li",
    "Mark",
    "Ngozi",
    "Søren",
    "Priya",
    "Tom",
    "Élodie",
    "Omar",
    "Kate",
]
last = ["Müller", "Smith", "O'Brien", "Nguyen", "Kowalski", "García", "Brown", "Tanaka", "Dubois"]
domains = ["example.com", "mail.example.org", "corp.example.net", "EXAMPLE.COM"]
countries = ["us", "US", " de", "Fr ", "uk", "UK", "gb", "jp", "ca", "CA"]


def quote(field, force=False):
    if force or any(c in field for c in ',"\n\r'):
        return '"' + field.replace('"', '""') + '"'
    return field


def pad(s):
    return rng.choice(["", "", "", " ", "  "]) + s + rng.choice(["", "", "", " ", "\t"])


def name():
    f, la = rng.choice(first), rng.choice(last)
    style = rng.random()
    if style < 0.15:
        return f"{la}, {f}"
    if style < 0.22:
        return f'{f} "{rng.choice(["JJ", "Sky", "Doc"])}" {la}'
    if style < 0.3:
        return f"{f}  {la}"
    if style < 0.34:
        return f"{f}\t{la}"
    if style < 0.37:
        return f"{f}\n{la}"
    return f"{f} {la}"


def email(n):
    local = rng.choice(["info", "j.doe", "customer", "sales", "x"]) + str(n)
    r = rng.random()
    if r < 0.04:
        return f"{local}.example.com"  # no @
    if r < 0.07:
        return f"{local}@@example.com"
    if r < 0.09:
        return f"{local}@localhost"
    if r < 0.11:
        return ""
    if r < 0.13:
        return f"{local} name@example.com"
    addr = f"{local}@{rng.choice(domains)}"
    return addr.upper() if rng.random() < 0.2 else addr


def phone():
    digits = "".join(str(rng.randint(0, 9)) for _ in range(10))
    digits = str(rng.randint(2, 9)) + digits[1:]
    a, b, c = digits[:3], digits[3:6], digits[6:]
    r = rng.random()
    if r < 0.2:
        return f"({a}) {b}-{c}"
    if r < 0.35:
        return f"{a}-{b}-{c}"
    if r < 0.5:
        return f"+1 {a} {b} {c}"
    if r < 0.6:
        return f"1.{a}.{b}.{c}"
    if r < 0.7:
        return digits
    if r < 0.78:
        return ""
    if r < 0.85:
        return f"{b}-{c}"  # too short
    if r < 0.9:
        return f"+44 20 {b} {c}"  # not North American
    return f"{a} {b} {c} ext"


def date():
    y, m, d = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
    r = rng.random()
    if r < 0.3:
        return f"{y}-{m:02d}-{d:02d}"
    if r < 0.45:
        return f"{y}/{m:02d}/{d:02d}"
    if r < 0.6:
        return f"{m:02d}/{d:02d}/{y}"
    if r < 0.72:
        return f"{m}/{d}/{y}"
    if r < 0.86:
        return f"{d:02d}.{m:02d}.{y}"
    return f"{d}.{m}.{y}"


ids = rng.sample(range(1, 5000), 420)
rows = []
for n in ids:
    ident = str(n) if rng.random() < 0.7 else f"{n:06d}"
    fields = [
        pad(ident),
        pad(name()),
        pad(email(n)),
        pad(phone()),
        pad(date()),
        pad(rng.choice(countries)),
    ]
    rows.append(",".join(quote(f, force=rng.random() < 0.15) for f in fields))

out = ["id,name,email,phone,signup_date,country"]
for row in rows:
    out.append(row)
    if rng.random() < 0.03:
        out.append("")
data = ""
for line in out:
    data += line + rng.choice(["\r\n", "\n", "\r\n"])
sys.stdout.buffer.write(b"\xef\xbb\xbf" + data.encode("utf-8"))
