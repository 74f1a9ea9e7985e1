"""Reconcile bank statement payments with the books (see the task's instruction)."""

import csv
import re

INVOICE = re.compile(r"(?<![A-Za-z])[Ii][Nn][Vv][ \-#:.]*([0-9]{1,5})(?![0-9])")


def cents_eu(text):
    sign = -1 if text.startswith("-") else 1
    whole, frac = text.lstrip("-").replace(".", "").split(",")
    return sign * (int(whole) * 100 + int(frac))


def cents_books(text):
    sign = -1 if text.startswith("(") else 1
    whole, frac = text.strip("()").split(".")
    return sign * (int(whole) * 100 + int(frac))


def money(cents):
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


bank, unidentified = {}, []
with open("/app/bank/statement-2024-04.csv", encoding="utf-8-sig", newline="") as fh:
    for lineno, row in enumerate(csv.DictReader(fh), start=2):
        amount = cents_eu(row["Amount"])
        m = INVOICE.search(row["Reference"]) or INVOICE.search(row["Description"])
        if m:
            key = f"INV-{int(m.group(1)):05d}"
            bank[key] = bank.get(key, 0) + amount
        else:
            unidentified.append((lineno, amount))

books = {}
with open("/app/books/ledger-2024-04.tsv", encoding="utf-8", newline="") as fh:
    for row in csv.DictReader(fh, delimiter="\t"):
        if row["status"] != "void":
            books[row["invoice"]] = books.get(row["invoice"], 0) + cents_books(row["amount"])

with open("/app/reconciliation.csv", "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["invoice", "status", "books_amount", "bank_amount", "difference"])
    for inv in sorted(set(bank) | set(books)):
        b, k = books.get(inv), bank.get(inv)
        if b == k:
            continue
        status = (
            "MISSING_IN_BANK"
            if k is None
            else "MISSING_IN_BOOKS"
            if b is None
            else "AMOUNT_MISMATCH"
        )
        w.writerow([inv, status, money(b), money(k), money((k or 0) - (b or 0))])
    for lineno, amount in unidentified:
        w.writerow([f"LINE-{lineno}", "UNIDENTIFIED", "", money(amount), money(amount)])
