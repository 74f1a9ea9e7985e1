#!/bin/bash
set -euo pipefail
: > /tmp/audit.unsorted
find /app/data \( -type f -o -type d \) -print0 | while IFS= read -r -d '' p; do
    old=$(stat -c '%a' -- "$p")
    new=$((8#$old))
    if [ -d "$p" ]; then
        (( new & 8#1000 )) || new=$(( new & ~8#2 ))
    else
        new=$(( new & ~8#2 ))
        if (( new & 8#111 )); then
            magic=$(head -c 4 -- "$p" | od -An -tx1 | tr -d ' \n')
            case "$magic" in
                2321*|7f454c46) ;;           # "#!" or "\x7fELF"
                *) new=$(( new & ~8#111 )) ;;
            esac
        fi
    fi
    newstr=$(printf '%o' "$new")
    if [ "$newstr" != "$old" ]; then
        chmod "$(printf '%04o' "$new")" -- "$p"
        printf '%s %s %s\n' "$old" "$newstr" "$p" >> /tmp/audit.unsorted
    fi
done
LC_ALL=C sort -k3 /tmp/audit.unsorted > /app/audit.txt
wc -l /app/audit.txt
