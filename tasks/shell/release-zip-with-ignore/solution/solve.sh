#!/bin/bash
set -euo pipefail
python3 /solution/package.py
unzip -l /app/dist/widget-*.zip | tail -n 3
