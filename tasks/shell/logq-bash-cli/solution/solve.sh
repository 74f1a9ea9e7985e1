#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/logq /app/bin/logq
chmod 755 /app/bin/logq
/app/bin/logq --level warn /app/samples/app.log
