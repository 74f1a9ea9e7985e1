#!/bin/bash
set -euo pipefail
# Rewrite the body of the script below its documentation header.
script=/app/bin/colstats.sh
header=$(sed -n '1,/^# message to stderr/p' "$script")
{
printf '%s\n' "$header"
cat <<'BODY'

file=$1
group_col=$2
value_col=$3

if [ ! -r "$file" ] || [ ! -f "$file" ]; then
    echo "colstats: cannot read $file" >&2
    exit 2
fi

# Exact (whole-field) lookup of the column numbers, ignoring a trailing CR.
col_index() {
    head -n 1 "$file" | tr -d '\r' | tr ',' '\n' | grep -nxF -- "$1" | head -n 1 | cut -d: -f1
}
gidx=$(col_index "$group_col")
vidx=$(col_index "$value_col")
if [ -z "$gidx" ] || [ -z "$vidx" ]; then
    echo "colstats: no such column" >&2
    exit 2
fi

tail -n +2 "$file" | tr -d '\r' | awk -F, -v g="$gidx" -v v="$vidx" '
$v != "" {
    key = $g
    x = $v + 0
    if (!(key in count)) { min[key] = x; max[key] = x }
    count[key]++
    sum[key] += x
    if (x < min[key]) min[key] = x
    if (x > max[key]) max[key] = x
}
END {
    for (k in count)
        printf "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\n", k, count[k], sum[k], min[k], max[k], sum[k] / count[k]
}' | LC_ALL=C sort -t$'\t' -k1,1
BODY
} > "$script.new"
chmod 755 "$script.new"
mv "$script.new" "$script"
