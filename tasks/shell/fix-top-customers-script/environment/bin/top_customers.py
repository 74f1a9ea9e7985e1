#!/usr/bin/env python3
"""Print the N customers who spent the most.

Usage: top_customers.py ORDERS_CSV N

ORDERS_CSV is a UTF-8 encoded CSV file whose first row is the header
"order_id,customer,amount,status". Fields may be quoted (customer names can
contain commas and non-ASCII characters). amount is a decimal number with at
most two decimals. Only orders whose status is exactly "paid" count.

Output: one line per customer, "<rank>. <customer>: <total>", where <total> is
the customer's summed paid amount (an exact sum, to the cent) with exactly two
decimals. Only the N customers with the highest totals are printed (all of
them if there are fewer), highest total first; customers with equal totals are ordered by name (by
Unicode code point, ascending). Ranks are 1, 2, 3, ... in output order.
Customers without any paid order are not listed.
"""

import csv
import sys
from collections import defaultdict


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    with open(path, encoding="latin-1") as fh:
        rows = list(csv.reader(fh))[1:-1]
    totals = defaultdict(float)
    for _order_id, customer, amount, status in rows:
        if status == "paid":
            totals[customer] += float(amount)
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    for i, (customer, total) in enumerate(ranked[:n]):
        print(f"{i}. {customer}: {total:.2f}")


if __name__ == "__main__":
    main()
