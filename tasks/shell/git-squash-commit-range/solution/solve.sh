#!/bin/bash
set -euo pipefail
cd /app/repo
git checkout -q main

first=$(git log --format=%H --grep='^WIP: start CSV importer$' main)
last=$(git log --format=%H --grep='^importer: final cleanup$' main)
old_tip=$(git rev-parse main)

# One commit with the final tree of the run, on top of the run's parent.
git checkout -q --detach "$last"
git reset -q --soft "$first^"
git commit -q --author="$(git log -1 --format='%an <%ae>' "$first")" \
    -m 'Add CSV importer' -m 'Reads ledger rows from CSV files, skipping empty rows.'

# Replay the later commits (cherry-pick keeps their messages and authors).
declare -A newsha
for c in $(git rev-list --reverse "$last..$old_tip"); do
    git cherry-pick --allow-empty --keep-redundant-commits "$c" >/dev/null
    newsha[$c]=$(git rev-parse HEAD)
done

# Move the tags that pointed into the rewritten part.
for t in $(git tag -l); do
    target=$(git rev-parse "$t^{commit}")
    [[ -n ${newsha[$target]:-} ]] || continue
    if [[ $(git cat-file -t "$t") == tag ]]; then
        git tag -f -a "$t" -m "$(git tag -l --format='%(contents)' "$t")" "${newsha[$target]}" >/dev/null
    else
        git tag -f "$t" "${newsha[$target]}" >/dev/null
    fi
done

git branch -f main HEAD
git checkout -q main
git --no-pager log --oneline --decorate
