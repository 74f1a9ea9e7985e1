#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/retry /app/bin/retry
chmod 755 /app/bin/retry
/app/bin/retry -n 2 -d 0 true
