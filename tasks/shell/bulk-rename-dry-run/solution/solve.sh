#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/bren /app/bin/bren
chmod 755 /app/bin/bren
/app/bin/bren --dry-run " draft" "" /app/playground || true
