#!/bin/bash
set -euo pipefail
export LC_ALL=C
cd /app
# "<sha256>  <path>" for every regular non-empty file, sorted by hash, then path.
find /app/media -type f ! -empty -print0 | xargs -0 -r sha256sum -- | sort > /tmp/hashes
# One line per duplicate group: the paths joined by \001 (first path first), sorted by first path.
awk '{
    h = substr($0, 1, 64); p = substr($0, 67)
    if (h == prev) { g = g "\001" p; n++ }
    else { if (n > 1) print g; g = p; n = 1 }
    prev = h
} END { if (n > 1) print g }' /tmp/hashes | sort > /tmp/groups
awk 'NR > 1 { print "" } { gsub(/\001/, "\n"); print }' /tmp/groups > duplicates.txt
# Bytes freed, then delete all but the first file of every group.
freed=0
while IFS= read -r line; do
    IFS=$'\001' read -r -a paths <<< "$line"
    size=$(stat -c %s -- "${paths[0]}")
    freed=$((freed + (${#paths[@]} - 1) * size))
    rm -f -- "${paths[@]:1}"
done < /tmp/groups
echo "$freed" > reclaimable.txt
head duplicates.txt; cat reclaimable.txt
