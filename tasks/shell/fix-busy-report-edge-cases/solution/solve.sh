#!/bin/bash
set -euo pipefail
# Keep the documented header, replace the buggy implementation.
python3 - <<'PY'
orig = open("/app/bin/busy_report.py", encoding="utf-8").read()
doc_end = orig.index('"""', orig.index('"""') + 3) + 3
fixed = open("/solution/busy_report.py", encoding="utf-8").read()
body = fixed[fixed.index('"""', fixed.index('"""') + 3) + 3 :]
open("/app/bin/busy_report.py", "w", encoding="utf-8").write(orig[:doc_end] + body)
PY
chmod 755 /app/bin/busy_report.py
/app/bin/busy_report.py /app/data/schedule.csv
