import re
import subprocess
import sys

raw = subprocess.run([sys.executable, "/tests/gen_raw.py"], capture_output=True, check=True).stdout
text = raw.decode("utf-8")
assert text.startswith("\ufeff")
text = text[1:]


def parse(s):
    """A small RFC 4180 parser, independent of the csv module."""
    rows, row, field, i, quoted = [], [], [], 0, False
    while i < len(s):
        c = s[i]
        if quoted:
            if c == '"' and s[i + 1 : i + 2] == '"':
                field.append('"')
                i += 1
            elif c == '"':
                quoted = False
            else:
                field.append(c)
        elif c == '"':
            quoted = True
        elif c == ",":
            row.append("".join(field))
            field = []
        elif c in "\r\n":
            if c == "\r" and s[i + 1 : i + 2] == "\n":
                i += 1
            row.append("".join(field))
            field = []
            if row != [""]:
                rows.append(row)
            row = []
        else:
            field.append(c)
        i += 1
    assert not field and not row
    return rows


def fix_date(s):
    parts = re.split(r"[-/.]", s)
    if len(parts[0]) == 4:
        y, m, d = parts
    elif "/" in s:
        m, d, y = parts
    else:
        d, m, y = parts
    return f"{y}-{int(m):02d}-{int(d):02d}"


def fix_phone(s):
    digits = "".join(c for c in s if c.isdigit())
    if len(digits) == 10:
        return "+1" + digits
    if len(digits) == 11 and digits.startswith("1"):
        return "+" + digits
    return ""


def q(f):
    return '"' + f.replace('"', '""') + '"' if ("," in f or '"' in f) else f


rows = parse(text)
assert rows[0] == ["id", "name", "email", "phone", "signup_date", "country"]
good, bad = [], []
for row in rows[1:]:
    ident, name, email, phone, date, country = (f.strip(" \t\r\n") for f in row)
    ident = int(ident)
    email = email.lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        bad.append(ident)
        continue
    country = country.upper()
    if country == "UK":
        country = "GB"
    name = re.sub(r"[ \t\r\n]+", " ", name)
    good.append((ident, [str(ident), name, email, fix_phone(phone), fix_date(date), country]))
good.sort()
expected_clean = "id,name,email,phone,signup_date,country\n" + "".join(
    ",".join(q(f) for f in fields) + "\n" for _, fields in good
)
expected_rejected = "".join(f"{i}\n" for i in sorted(bad))
assert len(bad) > 10 and len(good) > 300

failures = []
try:
    with open("/app/data/customers_clean.csv", "rb") as fh:
        got = fh.read()
    if got != expected_clean.encode("utf-8"):
        got_lines = got.split(b"\n")
        exp_lines = expected_clean.encode("utf-8").split(b"\n")
        for n, (a, b) in enumerate(zip(got_lines, exp_lines, strict=False)):
            if a != b:
                failures.append(f"customers_clean.csv line {n + 1}: got {a!r}, expected {b!r}")
                break
        else:
            failures.append(
                f"customers_clean.csv has {len(got_lines)} lines, expected {len(exp_lines)}"
            )
except OSError as exc:
    failures.append(f"cannot read customers_clean.csv: {exc}")
try:
    with open("/app/data/rejected_ids.txt", encoding="utf-8") as fh:
        got_rej = fh.read()
    if got_rej.rstrip("\n") != expected_rejected.rstrip("\n"):
        failures.append(
            f"rejected_ids.txt: got {got_rej.split()[:8]}..., expected {expected_rejected.split()[:8]}..."
        )
except OSError as exc:
    failures.append(f"cannot read rejected_ids.txt: {exc}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
