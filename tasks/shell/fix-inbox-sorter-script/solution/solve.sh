#!/bin/bash
set -euo pipefail
cp /solution/sort-inbox.sh /app/bin/sort-inbox.sh
chmod 755 /app/bin/sort-inbox.sh
/app/bin/sort-inbox.sh /app/inbox /app/sorted
