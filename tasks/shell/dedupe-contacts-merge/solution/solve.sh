#!/bin/bash
set -euo pipefail
python3 /solution/dedupe.py
wc -l /app/data/contacts.csv /app/data/contacts_dedup.csv /app/data/merge_map.csv
