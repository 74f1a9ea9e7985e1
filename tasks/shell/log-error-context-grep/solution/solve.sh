#!/bin/bash
set -euo pipefail
cd /app
re='^[^ ]+ \[(ERROR|FATAL)\] '
grep -E -B2 -A3 "$re" logs/service.log > errors.txt
grep -cE "$re" logs/service.log > error_count.txt
