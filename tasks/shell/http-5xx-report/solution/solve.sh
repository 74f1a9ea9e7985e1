#!/bin/bash
set -euo pipefail
cd /app
# Status is the first field after the quoted request line; split on '"' to find it reliably.
awk -F'"' 'NF >= 3 {
    split($3, after, " ");
    status = after[1];
    split($2, req, " ");
    path = req[2];
    if (status ~ /^5[0-9][0-9]$/ && path != "") {
        sub(/\?.*/, "", path);
        print path;
    }
}' logs/access.log \
  | LC_ALL=C sort | uniq -c \
  | awk '{print $1, $2}' \
  | LC_ALL=C sort -k1,1nr -k2,2 > report.txt
