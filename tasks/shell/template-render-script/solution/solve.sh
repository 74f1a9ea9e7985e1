#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/render /app/bin/render
chmod 755 /app/bin/render
cd /app/examples
/app/bin/render greeting.tmpl greeting.vars | diff - greeting.out && echo "example OK"
