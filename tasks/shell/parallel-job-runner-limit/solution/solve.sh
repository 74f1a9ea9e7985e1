#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/prun /app/bin/prun
chmod 755 /app/bin/prun
/app/bin/prun -j 2 /app/jobs.txt /tmp/prun-demo || true
cat /tmp/prun-demo/results.tsv
