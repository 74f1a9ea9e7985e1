#!/bin/bash
# colstats.sh FILE GROUP_COLUMN VALUE_COLUMN
#
# Reads the comma-separated FILE, whose first line is a header naming the columns
# (simple CSV: fields never contain commas or quotes). Columns are looked up by their
# exact header name. Rows whose VALUE_COLUMN field is empty are ignored.
#
# For every distinct value of GROUP_COLUMN prints one tab-separated line:
#
#     group  count  sum  min  max  mean
#
# count is an integer; sum, min, max and mean (sum / count) are printed with exactly
# two decimals, as printf "%.2f" does. Values may be negative or have decimals.
# Lines are sorted by group name in ascending byte order.
#
# FILE may use Unix (LF) or Windows (CRLF) line endings; the output never contains
# carriage returns.
#
# Errors: if FILE cannot be read, or a column name is not in the header, print a
# message to stderr, print nothing on stdout and exit with status 2.

file=$1
group_col=$2
value_col=$3

if [ ! -r $file ]; then
    echo "colstats: cannot read $file" >&2
    exit 1
fi

header=$(head -n 1 $file)
gidx=$(echo "$header" | tr ',' '\n' | grep -n "$group_col" | cut -d: -f1)
vidx=$(echo "$header" | tr ',' '\n' | grep -n "$value_col" | cut -d: -f1)
if [ -z "$gidx" ] || [ -z "$vidx" ]; then
    echo "colstats: no such column" >&2
    exit 2
fi

tail -n +1 $file | awk -F, -v g="$gidx" -v v="$vidx" '
$v != "" {
    key = $g
    count[key]++
    sum[key] += $v
    if ($v < min[key]) min[key] = $v
    if ($v > max[key]) max[key] = $v
}
END {
    for (k in count)
        printf "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\n", k, count[k], sum[k], min[k], max[k], int(sum[k] / count[k])
}' | sort -t$'\t' -k2,2nr
