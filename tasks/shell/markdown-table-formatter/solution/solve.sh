#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/mdtable /app/bin/mdtable
chmod 755 /app/bin/mdtable
/app/bin/mdtable < /app/example.md
