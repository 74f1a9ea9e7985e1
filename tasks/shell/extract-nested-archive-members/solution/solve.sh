#!/bin/bash
set -euo pipefail
work=$(mktemp -d)
cd "$work"
unzip -q /app/incoming/delivery.zip payload/export-2024.tar.gz
tar -xzf payload/export-2024.tar.gz export/meta.json \
    export/2024/04/sales.csv export/2024/05/sales.csv export/2024/06/sales.csv \
    vendor/vendor-docs.zip
mkdir -p /app/out
cp export/meta.json /app/out/meta.json
{
    head -n 1 export/2024/04/sales.csv
    for m in 04 05 06; do tail -n +2 "export/2024/$m/sales.csv"; done
} > /app/out/2024-Q2.csv
unzip -p vendor/vendor-docs.zip LICENSE > /app/out/LICENSE
rm -rf "$work"
ls -l /app/out
