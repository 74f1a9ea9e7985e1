#!/bin/bash
set -euo pipefail
export LC_ALL=C
cd /app/inbox
mkdir -p /app/outbox
select_files() {
    find . -mindepth 1 -name '.*' -prune -o \
        -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) \
        -size +1023c -size -65537c -newer /app/inbox/.last_sync -print0
}
# cp --parents keeps the relative path; -p keeps the modification time.
select_files | xargs -0 -r cp -p --parents -t /app/outbox --
select_files | sed -z 's|^\./||' | sort -z > /app/selected.list
tr '\0' '\n' < /app/selected.list | head -5
