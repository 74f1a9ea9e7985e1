#!/bin/bash
set -euo pipefail
mkdir -p /app/restore
cd /app/restore
: > sources.txt
: > site-backup.tar.gz
# Pieces in the order listed; the final line of SHA256SUMS is the whole archive.
grep -E '\.part-[0-9]+$' /app/backup/SHA256SUMS | sort -k2,2 | while read -r sum name; do
    chosen=""
    for src in backup mirror; do
        f="/app/$src/$name"
        if [ -f "$f" ] && [ "$(sha256sum < "$f" | cut -d' ' -f1)" = "$sum" ]; then
            chosen=$src
            break
        fi
    done
    [ -n "$chosen" ] || { echo "no intact copy of $name" >&2; exit 1; }
    cat "/app/$chosen/$name" >> site-backup.tar.gz
    echo "${name##*.} $chosen" >> sources.txt
done
want=$(awk '$2 == "site-backup.tar.gz" {print $1}' /app/backup/SHA256SUMS)
[ "$(sha256sum < site-backup.tar.gz | cut -d' ' -f1)" = "$want" ]
tar -xzf site-backup.tar.gz -C /app/restore
cat sources.txt
