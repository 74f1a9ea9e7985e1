#!/bin/bash
set -euo pipefail
mkdir -p /app/bin
cp /solution/hours-report /app/bin/hours-report
chmod 755 /app/bin/hours-report
/app/bin/hours-report /app/sample
