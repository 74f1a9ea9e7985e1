#!/bin/bash
set -euo pipefail
python3 /solution/sync.py
find /app/mirror | wc -l
