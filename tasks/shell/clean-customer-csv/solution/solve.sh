#!/bin/bash
set -euo pipefail
python3 /solution/clean.py
head -3 /app/data/customers_clean.csv
