#!/bin/bash
set -euo pipefail
cd /app
mkdir -p out
{
  echo "order_id,email,items,total"
  # Work in integer cents to avoid floating-point surprises, then format.
  jq -r '.orders[]
         | select(.status == "shipped")
         | [ .id,
             (.customer.email | gsub("^\\s+|\\s+$"; "") | ascii_downcase),
             ([.items[].qty] | add // 0),
             ([.items[] | .qty * ((.unit_price * 100) | round)] | add // 0)
           ]
         | @tsv' orders.json \
  | sort -t$'\t' -k4,4nr -k1,1 \
  | awk -F'\t' '{ printf "%s,%s,%s,%d.%02d\n", $1, $2, $3, int($4 / 100), $4 % 100 }'
} > out/shipped.csv
