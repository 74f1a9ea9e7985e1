#!/bin/bash
set -euo pipefail
cd /app/data
# "-newermt" is "modified strictly after"; one second before the cutoff gives "strictly before"
# for whole-second timestamps, so use the cutoff minus 1 s with a negation.
find . -type f \( -name '*.log' -o -name '*.dat' \) -size +51200c \
     ! -newermt '2023-12-31 23:59:59 UTC' -print0 > /tmp/stale.list
tr '\0' '\n' < /tmp/stale.list | sed 's|^\./||' | LC_ALL=C sort > /app/stale.txt
xargs -0 -r gzip -- < /tmp/stale.list
rm -f /tmp/stale.list
