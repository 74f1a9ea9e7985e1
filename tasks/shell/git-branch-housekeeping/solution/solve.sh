#!/bin/bash
set -euo pipefail
cd /app/repo
git checkout -q main

# 1. Delete merged branches (but keep main, develop and release/*).
git for-each-ref --format='%(refname:short)' --merged main refs/heads/ | while IFS= read -r b; do
    case "$b" in
        main | develop | release/*) ;;
        *) git branch -D "$b" ;;
    esac
done

# 2. Rename the remaining feat-* branches.
git for-each-ref --format='%(refname:short)' 'refs/heads/feat-*' | while IFS= read -r b; do
    git branch -m "$b" "feature/${b#feat-}"
done

# 3. Fast-forward develop to main.
git branch -f develop main

# 4. Release branch at the tagged commit.
git branch release/1.1 'v1.1^{commit}'

git --no-pager branch -vv
