#!/bin/bash
set -euo pipefail
cd /app
jq --slurpfile cat data/catalog.json '
  [ .warehouses[]
    | select(.active != false)
    | .code as $code
    | .bins[].items[]
    | select(.discontinued != true)
    | {sku, code: $code, avail: ((.qty // 0) - (.reserved // 0))} ]
  | group_by(.sku)
  | map(
      . as $rows
      | ($rows | group_by(.code) | map({key: .[0].code, value: (map(.avail) | add)})) as $per
      | {
          sku: $rows[0].sku,
          name: ($cat[0][$rows[0].sku].name // null),
          available: ($per | map(.value) | add),
          warehouses: ($per | map(select(.value > 0)) | from_entries)
        })
  | map(select(.available > 0))
  | sort_by(-.available, .sku)
' data/warehouses.json > stock.json
