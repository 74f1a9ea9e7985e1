#!/bin/bash
set -euo pipefail
python3 - <<'PY'
import csv
import re

rows = []
with open("/app/reports/gl-2024-03.txt", encoding="utf-8") as fh:
    for raw in fh:
        line = raw.rstrip("\n").ljust(79)
        acct, date, desc = line[0:8].strip(), line[9:19], line[21:51].strip()
        debit, credit = line[53:65].strip(), line[67:79].strip()
        if re.fullmatch(r"[0-9]+", acct):
            text, sign = (debit, 1) if debit else (credit, -1)
            if text.endswith("-"):
                text, sign = text[:-1], -sign
            cents = int(text.replace(",", "").replace(".", ""))
            m, d, y = date.split("/")
            rows.append([acct, f"{y}-{m}-{d}", desc, sign * cents])
        elif not line[0:20].strip() and desc and not debit and not credit and rows:
            rows[-1][2] += " " + desc

with open("/app/ledger.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["account", "date", "description", "amount"])
    for acct, date, desc, cents in rows:
        sign = "-" if cents < 0 else ""
        w.writerow([acct, date, desc, f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"])
PY
wc -l /app/ledger.csv
