#!/bin/bash
set -euo pipefail
cd /app
export LC_ALL=C
tmp=$(mktemp -d)
# badge -> department, sorted by badge for join
cut -d: -f1,4 data/staff.txt | sort -t: -k1,1 > "$tmp/staff"
# badges of granted swipes, sorted for join
tail -n +2 data/swipes.csv | grep ',GRANTED$' | cut -d, -f2 | sort > "$tmp/granted"
# department<TAB>badge for every granted swipe of a known badge
join -t: "$tmp/granted" "$tmp/staff" | awk -F: '{print $2 "\t" $1}' > "$tmp/dept_badge"
cut -f1 "$tmp/dept_badge" | sort | uniq -c | awk '{n=$1; sub(/^ *[0-9]+ /, ""); print $0 "\t" n}' > "$tmp/swipes"
sort -u "$tmp/dept_badge" | cut -f1 | uniq -c | awk '{n=$1; sub(/^ *[0-9]+ /, ""); print $0 "\t" n}' > "$tmp/people"
join -t $'\t' "$tmp/people" "$tmp/swipes" | sort -t $'\t' -k3,3nr -k1,1 > dept_report.tsv
tail -n +2 data/swipes.csv | cut -d, -f2 | sort -u > "$tmp/all"
cut -d: -f1 "$tmp/staff" | comm -23 "$tmp/all" - > unknown_badges.txt
rm -rf "$tmp"
