"""Clean /app/data/customers_raw.csv according to the task's rules."""

import csv
import re
import sys

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def norm_date(s):
    if m := re.fullmatch(r"(\d{4})[-/](\d{2})[-/](\d{2})", s):
        y, mo, d = m.groups()
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s):
        mo, d, y = m.groups()
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", s):
        d, mo, y = m.groups()
    else:
        sys.exit(f"unexpected date {s!r}")
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def norm_phone(s):
    digits = re.sub(r"\D", "", s)
    if len(digits) == 10:
        return "+1" + digits
    if len(digits) == 11 and digits[0] == "1":
        return "+" + digits
    return ""


with open("/app/data/customers_raw.csv", encoding="utf-8-sig", newline="") as fh:
    records = [r for r in csv.reader(fh) if r]
header, records = records[0], records[1:]
clean, rejected = [], []
for rec in records:
    ident, name, email, phone, date, country = (f.strip() for f in rec)
    ident = int(ident)
    email = email.lower()
    if not EMAIL.fullmatch(email):
        rejected.append(ident)
        continue
    country = country.upper()
    clean.append(
        [
            str(ident),
            " ".join(name.split()),
            email,
            norm_phone(phone),
            norm_date(date),
            "GB" if country == "UK" else country,
        ]
    )
clean.sort(key=lambda r: int(r[0]))
with open("/app/data/customers_clean.csv", "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["id", "name", "email", "phone", "signup_date", "country"])
    w.writerows(clean)
with open("/app/data/rejected_ids.txt", "w") as fh:
    fh.writelines(f"{i}\n" for i in sorted(rejected))
