#!/bin/bash
set -euo pipefail
# Only the TYPE field decides; sums are printed with two decimals and -0.00 is normalised.
awk '
$1 ~ /^#/ || NF < 4 { next }
{
    t = tolower($3)
    if (t != "credit" && t != "debit") next
    a = $2
    n[a]++
    if (t == "credit") c[a] += $4; else d[a] += $4
}
function fmt(x) { x = sprintf("%.2f", x); if (x == "-0.00") x = "0.00"; return x }
END {
    for (a in n) {
        printf "%s\t%d\t%s\t%s\t%s\n", a, n[a], fmt(c[a]), fmt(d[a]), fmt(c[a] - d[a]) | "LC_ALL=C sort"
        tn += n[a]; tc += c[a]; td += d[a]
    }
    close("LC_ALL=C sort")
    printf "TOTAL\t%d\t%s\t%s\t%s\n", tn, fmt(tc), fmt(td), fmt(tc - td)
}' /app/data/ledger.txt > /app/balances.tsv
