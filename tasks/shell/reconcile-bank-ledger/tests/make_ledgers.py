"""Write a bank statement export (CSV, European number format) and the company's books (TSV)."""

import csv
import io
import os
import random
import sys


def fmt_eu(cents):
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    whole = f"{c // 100:,}".replace(",", ".")
    return f"{sign}{whole},{c % 100:02d}"


def fmt_books(cents):
    text = f"{abs(cents) // 100}.{abs(cents) % 100:02d}"
    return f"({text})" if cents < 0 else text


def invoice_ref(rng, n):
    forms = [
        f"INV-{n:05d}",
        f"inv {n}",
        f"Inv#{n:05d}",
        f"INV{n:05d}",
        f"INV: {n}",
        f"inv.{n:03d}",
        f"INV - {n:05d}",
    ]
    return rng.choice(forms)


def build(seed=9001):
    rng = random.Random(seed)
    customers = [
        "ACME, Inc.",
        "Globex GmbH",
        "Initech",
        'Umbrella "UK" Ltd',
        "Soylent Corp",
        "Müller & Söhne",
        "Wayne Enterprises",
    ]
    books, bank = [], []
    invoices = rng.sample(range(1, 3000), 170)
    txn = 5000
    for n in invoices:
        cents = rng.randint(1000, 2_500_000) * rng.choice([1, 1, 1, 1, -1])
        day = f"2024-04-{rng.randint(1, 30):02d}"
        cust = rng.choice(customers)
        fate = rng.random()
        # the books: normally one line, sometimes split into two lines or with a void line
        parts = [cents] if rng.random() < 0.85 else [cents // 2, cents - cents // 2]
        if fate > 0.93:
            parts = []  # missing in books
        for p in parts:
            txn += 1
            books.append((f"T{txn}", day, f"INV-{n:05d}", p, "posted", f"{cust} payment"))
        if rng.random() < 0.07 and parts:
            txn += 1
            books.append(
                (f"T{txn}", day, f"INV-{n:05d}", rng.randint(100, 99999), "void", "entered twice")
            )
        # the bank: normally the same total, maybe split, maybe wrong or missing
        bank_total = cents
        if 0.80 < fate <= 0.87:
            bank_total = cents + rng.choice([-1, 1, 100, -5000, 99])
        if 0.87 < fate <= 0.93:
            continue  # missing in bank
        pieces = (
            [bank_total] if rng.random() < 0.8 else [bank_total - bank_total // 3, bank_total // 3]
        )
        for p in pieces:
            d = f"{rng.randint(1, 30):02d}.04.2024"
            ref = invoice_ref(rng, n)
            if rng.random() < 0.3:
                bank.append(
                    [
                        d,
                        f"SEPA credit {cust} {ref}",
                        fmt_eu(p),
                        rng.choice(["", "see description", "Invoice payment"]),
                    ]
                )
            else:
                bank.append(
                    [
                        d,
                        f"SEPA credit {cust}",
                        fmt_eu(p),
                        f"REF {ref} " if rng.random() < 0.5 else ref,
                    ]
                )
    for _ in range(9):
        d = f"{rng.randint(1, 30):02d}.04.2024"
        bank.append(
            [
                d,
                rng.choice(
                    ["Account fee", "Interest", "Invoice without number", "Card payment, office"]
                ),
                fmt_eu(rng.randint(-50000, 50000)),
                rng.choice(["", "N/A", "INVOICE 12", "inv-123456"]),
            ]
        )
    rng.shuffle(bank)
    rng.shuffle(books)
    return books, bank


def write(base):
    books, bank = build()
    os.makedirs(os.path.join(base, "bank"), exist_ok=True)
    os.makedirs(os.path.join(base, "books"), exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Date", "Description", "Amount", "Reference"])
    w.writerows(bank)
    with open(
        os.path.join(base, "bank", "statement-2024-04.csv"), "w", encoding="utf-8-sig", newline=""
    ) as fh:
        fh.write(buf.getvalue())
    with open(
        os.path.join(base, "books", "ledger-2024-04.tsv"), "w", encoding="utf-8", newline=""
    ) as fh:
        fh.write("txn_id\tdate\tinvoice\tamount\tstatus\tmemo\n")
        for t, day, inv, cents, status, memo in books:
            fh.write(f"{t}\t{day}\t{inv}\t{fmt_books(cents)}\t{status}\t{memo}\n")


if __name__ == "__main__":
    write(sys.argv[1] if len(sys.argv) > 1 else "/app")
