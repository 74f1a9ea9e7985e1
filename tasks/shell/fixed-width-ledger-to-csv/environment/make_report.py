"""Generate a paginated fixed-width general ledger print report (and its underlying records)."""

import random
import sys

WORDS = [
    "Payment",
    "Invoice",
    "ACME Corp,",
    "Smith & Sons",
    "refund",
    'the "big" order',
    "freight",
    "Q1",
    "adjustment",
    "per contract 7/12",
    "O'Brien Ltd",
    "wire fee",
    "rent",
    "March",
    "100% rebate",
    "office supplies",
    "travel, meals",
    "café",
]


def records(seed=424242):
    """Return [(account, (m, d, y), description, debit_cents or None, credit_cents or None, reversal)]."""
    rng = random.Random(seed)
    accounts = sorted(rng.sample(range(10000, 99999), 14))
    out = []
    for acct in accounts:
        for _ in range(rng.randint(8, 35)):
            desc = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9)))
            cents = rng.choice(
                [rng.randint(1, 99999), rng.randint(100000, 99999999), rng.randint(1, 999) * 100]
            )
            side = rng.choice(["D", "C"])
            reversal = rng.random() < 0.08
            day = (3, rng.randint(1, 31), 2024)
            out.append(
                (
                    acct,
                    day,
                    desc,
                    cents if side == "D" else None,
                    cents if side == "C" else None,
                    reversal,
                )
            )
    return out


def money(cents, reversal):
    text = f"{cents // 100:,}.{cents % 100:02d}"
    return text + ("-" if reversal else "")


def split_desc(desc, width=30):
    """Split a description into pieces of at most `width` characters at spaces."""
    pieces, cur = [], ""
    for word in desc.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            pieces.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    pieces.append(cur)
    return pieces


def report(seed=424242):
    rng = random.Random(seed + 1)
    lines = []
    page = 0
    body = []
    recs = records(seed)
    for acct in sorted({r[0] for r in recs}):
        mine = [r for r in recs if r[0] == acct]
        deb = cre = 0
        for acct_, (m, d, y), desc, debit, credit, rev in mine:
            pieces = split_desc(desc)
            group = []
            dcol = money(debit, rev) if debit is not None else ""
            ccol = money(credit, rev) if credit is not None else ""
            group.append(
                f"{acct_:<8} {m:02d}/{d:02d}/{y}  {pieces[0]:<30}  {dcol:>12}  {ccol:>12}".rstrip()
            )
            for piece in pieces[1:]:
                group.append(f"{'':<8} {'':<10}  {piece:<30}".rstrip())
            body.append(group)
            deb += (debit or 0) * (-1 if rev else 1)
            cre += (credit or 0) * (-1 if rev else 1)
        total = f"{'':<8} {'':<10}  {'*** ACCOUNT ' + str(acct) + ' TOTAL ***':<30}  {money(abs(deb), deb < 0):>12}  {money(abs(cre), cre < 0):>12}"
        body.append([total, ""])
    header = [
        "ACCOUNT  DATE        DESCRIPTION                            DEBIT        CREDIT",
        "-------- ----------  ------------------------------  ------------  ------------",
    ]
    count = 99
    for group in body:
        if count + len(group) > 40:
            page += 1
            if page > 1:
                lines.append("\f")
            lines.append(f"ACME CORP{'GENERAL LEDGER DETAIL':^52}PAGE {page:>4}")
            lines.append(f"RUN DATE 04/02/2024   PERIOD 03/2024{'':>{rng.randint(1, 9)}}")
            lines.append("")
            lines.extend(header)
            count = 5
        lines.extend(group)
        count += len(group)
    lines.append("")
    lines.append("*** END OF REPORT ***")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(report())
