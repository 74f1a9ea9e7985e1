#!/bin/bash
set -euo pipefail
cd /app/shared

# 1. Create the listed directories (paths may contain spaces).
while IFS= read -r rel || [ -n "$rel" ]; do
    [ -n "$rel" ] && mkdir -p -- "$rel"
done < /app/new-dirs.txt

# 2. Regular files: decide on the execute bit from the current mode, before anything changes.
#    find never follows symlinks here (-type f tests the link itself), so targets stay untouched.
find . -type f -print0 | while IFS= read -r -d '' f; do
    mode=$(stat -c '%a' -- "$f")
    mode=$((8#$mode & 8#111))
    case "$f" in
        ./public|./public/*) if [ "$mode" -ne 0 ]; then m=775; else m=664; fi ;;
        *) if [ "$mode" -ne 0 ]; then m=770; else m=660; fi ;;
    esac
    # chmod with a 4-digit mode clears setuid/setgid/sticky on files.
    chmod "0$m" -- "$f"
done

# 3. Directories.
find . -type d -print0 | while IFS= read -r -d '' d; do
    case "$d" in
        ./public|./public/*) base=775 ;;
        *) base=770 ;;
    esac
    if [ "$(basename -- "$d")" = incoming ]; then
        chmod "3$base" -- "$d"
    else
        chmod "2$base" -- "$d"
    fi
done
