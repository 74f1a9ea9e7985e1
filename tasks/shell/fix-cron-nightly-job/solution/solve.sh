#!/bin/bash
set -euo pipefail
cat > /app/jobs/nightly-report.sh <<'SH'
#!/bin/bash
# nightly-report.sh - summarise the day's sales files.
#
# Reads every file ending in .csv in /app/data/incoming (lines "region,amount",
# no header, amounts in integer cents) and writes $REPORT_DIR/summary.txt
# (REPORT_DIR defaults to /app/reports) with one line "<region> <total cents>"
# per region, sorted by region in byte order. The processed .csv files are then
# moved to /app/data/processed/, and the line "<N> files processed" is appended
# to $REPORT_DIR/history.log. Other files in the incoming directory are left alone.
# If there is no .csv file, it only prints "nothing to do".
#
# Runs under cron: no reliance on the caller's working directory, PATH or variables.
set -euo pipefail
export PATH=/app/tools:/usr/local/bin:/usr/bin:/bin
export LC_ALL=C
REPORT_DIR=${REPORT_DIR:-/app/reports}
cd /app/data/incoming
shopt -s nullglob
files=(*.csv)
if [[ ${#files[@]} -eq 0 ]]; then
    echo "nothing to do"
    exit 0
fi
mkdir -p "$REPORT_DIR" /app/data/processed
csvsum "${files[@]}" | sort > "$REPORT_DIR/summary.txt"
mv -- "${files[@]}" /app/data/processed/
echo "${#files[@]} files processed" >> "$REPORT_DIR/history.log"
echo "done: ${#files[@]} files"
SH
chmod 755 /app/jobs/nightly-report.sh
# In a crontab, an unescaped % ends the command.
sed -i 's|^15 2 \* \* \* .*|15 2 * * * /app/jobs/nightly-report.sh > /app/reports/cron-$(date +\\%Y\\%m\\%d).log 2>\&1|' /app/cron/crontab
cat /app/cron/crontab
/app/cron/run-like-cron
cat /app/reports/summary.txt
