#!/bin/bash
set -euo pipefail
python3 /solution/repair.py
wc -l /app/removed-links.txt
