#!/bin/bash
set -euo pipefail
cd /app
# endpoint<TAB>duration for every relevant request, then percentiles per endpoint.
awk '{
    method = path = status = dur = ""
    for (i = 3; i <= NF; i++) {
        eq = index($i, "="); if (!eq) continue
        k = substr($i, 1, eq - 1); v = substr($i, eq + 1)
        if (k == "method") method = v; else if (k == "path") path = v
        else if (k == "status") status = v; else if (k == "duration_ms") dur = v
    }
    if (dur == "" || status < 200 || status > 399) next
    sub(/\?.*/, "", path)
    if (length(path) > 1) sub(/\/$/, "", path)
    n = split(path, seg, "/"); p = ""
    for (i = 2; i <= n; i++) p = p "/" (seg[i] ~ /^[0-9]+$/ ? "{id}" : seg[i])
    if (p == "") p = "/"
    printf "%s %s\t%s\n", method, p, dur
}' logs/api.log | LC_ALL=C sort -t $'\t' -k1,1 -k2,2g > /tmp/lat.tsv
awk -F'\t' '
function pct(p,   r) { r = int((p * n + 99) / 100); return v[r] }
function flush() {
    if (n) printf "%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\n", cur, n, pct(50), pct(90), pct(99), v[n]
}
$1 != cur { flush(); cur = $1; n = 0 }
{ v[++n] = $2 }
END { flush() }' /tmp/lat.tsv | LC_ALL=C sort -t $'\t' -k2,2nr -k1,1 > /tmp/body.tsv
{ printf 'endpoint\tcount\tp50\tp90\tp99\tmax\n'; cat /tmp/body.tsv; } > latency.tsv
cat latency.tsv
