#!/bin/bash
set -euo pipefail
cd /app/repo
git checkout -q main
# Keep the local copy of the secrets (it is still needed, just not in git).
cp config/secrets.env /tmp/secrets.env.keep

export FILTER_BRANCH_SQUELCH_WARNING=1
git filter-branch -f --prune-empty \
    --index-filter 'git rm -q --cached --ignore-unmatch -- config/secrets.env' \
    --tag-name-filter cat -- --all

# Drop the backup refs and every other trace, then prune the old objects.
git for-each-ref --format='%(refname)' refs/original/ | while read -r ref; do git update-ref -d "$ref"; done
git reflog expire --expire=now --all
git gc -q --prune=now

mkdir -p config
cp /tmp/secrets.env.keep config/secrets.env
rm -f /tmp/secrets.env.keep
grep -qxF 'config/secrets.env' .git/info/exclude 2>/dev/null || echo 'config/secrets.env' >> .git/info/exclude
git status --short
git --no-pager log --oneline --graph --all --decorate
