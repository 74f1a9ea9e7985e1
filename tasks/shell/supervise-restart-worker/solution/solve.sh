#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/supervise /app/bin/supervise
chmod 755 /app/bin/supervise
/app/bin/supervise 2 /tmp/demo.log sh -c 'echo "run $SUPERVISE_ATTEMPT"; [ "$SUPERVISE_ATTEMPT" -ge 2 ]'
cat /tmp/demo.log
