#!/bin/bash
set -euo pipefail
mkdir -p /app/bin /app/data
cp /solution/kv.py /app/bin/kv
chmod 755 /app/bin/kv
# Smoke test.
export KV_FILE=$(mktemp -u)
/app/bin/kv set greeting 'hello world'
/app/bin/kv get greeting
rm -f "$KV_FILE"
