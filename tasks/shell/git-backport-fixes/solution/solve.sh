#!/bin/bash
set -euo pipefail
cd /app/repo
git checkout -q release/2.3

mapfile -t ids < <(grep -v '^#' /app/backports.txt | sed 's/[[:space:]]*$//' | grep -v '^$')
done_list=$(git log --format=%B release/2.3 | sed -n 's/^(cherry picked from commit \([0-9a-f]\{40\}\))$/\1/p')

picks=()
for c in $(git rev-list --reverse --topo-order release/2.3..main); do
    trailers=$(git log -1 --format=%B "$c" | git interpret-trailers --parse | sed -n 's/^Fixes: //p')
    wanted=no
    for id in "${ids[@]}"; do
        if grep -qxF -- "$id" <<<"$trailers"; then wanted=yes; fi
    done
    [[ $wanted == yes ]] || continue
    grep -qx "$c" <<<"$done_list" && continue
    picks+=("$c")
done

printf 'picking %s\n' "${picks[@]}"
git cherry-pick -x "${picks[@]}" >/dev/null
git --no-pager log --oneline release/2.3 -8
