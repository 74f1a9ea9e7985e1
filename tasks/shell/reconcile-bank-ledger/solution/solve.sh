#!/bin/bash
set -euo pipefail
python3 /solution/reconcile.py
cut -d, -f2 /app/reconciliation.csv | sort | uniq -c
