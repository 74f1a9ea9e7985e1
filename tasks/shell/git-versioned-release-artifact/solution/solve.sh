#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/mkrelease /app/bin/mkrelease
chmod 755 /app/bin/mkrelease
/app/bin/mkrelease /app/project /tmp/release-demo
cat /tmp/release-demo/*.sha256
