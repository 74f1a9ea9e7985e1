#!/bin/bash
# Run every job with a 2 s limit (TERM), escalating to KILL 1 s later.
set -u
jobs_dir=${JOBS_DIR:-/app/jobs}
results=${RESULTS_DIR:-/app/results}
mkdir -p "$results"
: > "$results/summary.unsorted"
cd "$jobs_dir"
for file in *.job; do
    name=${file%.job}
    JOB_NAME=$name timeout -k 1 2 bash "$file" </dev/null >"$results/$name.out" 2>"$results/$name.err"
    rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        status=TIMEOUT
    else
        status=$rc
    fi
    printf '%s\t%s\n' "$name" "$status" >> "$results/summary.unsorted"
done
LC_ALL=C sort "$results/summary.unsorted" > "$results/summary.tsv"
rm -f "$results/summary.unsorted"
