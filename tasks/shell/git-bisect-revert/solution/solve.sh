#!/bin/bash
set -euo pipefail
cd /app/repo
first=$(git rev-list --max-parents=0 HEAD)
git bisect start HEAD "$first" >/dev/null
git bisect run ./check.sh > /tmp/bisect.log 2>&1
bad=$(git rev-parse refs/bisect/bad)
git bisect reset >/dev/null 2>&1
git checkout -q main
echo "$bad" > /app/first_bad.txt
git tag regression "$bad"
git revert --no-edit "$bad" >/dev/null
./check.sh
