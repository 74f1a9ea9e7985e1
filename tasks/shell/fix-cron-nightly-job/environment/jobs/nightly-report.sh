#!/bin/sh
# nightly-report.sh - summarise the day's sales files.
#
# Reads every file ending in .csv in /app/data/incoming (lines "region,amount",
# no header, amounts in integer cents) and writes $REPORT_DIR/summary.txt
# (REPORT_DIR defaults to /app/reports) with one line "<region> <total cents>"
# per region, sorted by region in byte order. The processed .csv files are then
# moved to /app/data/processed/, and the line "<N> files processed" is appended
# to $REPORT_DIR/history.log. Other files in the incoming directory are left alone.
# If there is no .csv file, it only prints "nothing to do".
cd data/incoming
files=(*.csv)
if [[ ! -e ${files[0]} ]]; then
    echo "nothing to do"
    exit 0
fi
csvsum "${files[@]}" | sort > $REPORT_DIR/summary.txt
mv "${files[@]}" ../processed/
echo "${#files[@]} files processed" >> $REPORT_DIR/history.log
echo "done: ${#files[@]} files"
