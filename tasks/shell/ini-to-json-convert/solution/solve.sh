#!/bin/bash
set -euo pipefail
mkdir -p /app/json
for f in /app/config/*.ini; do
    name=$(basename "$f" .ini)
    python3 /solution/ini2json.py "$f" "/app/json/$name.json"
done
cat /app/json/features.json
