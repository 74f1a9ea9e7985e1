#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/qworker /app/bin/qworker
chmod 755 /app/bin/qworker
/app/bin/qworker start
sleep 1
/app/bin/qworker status
/app/bin/qworker stop
cat /app/queue/done/example.txt /app/run/qworker.log
