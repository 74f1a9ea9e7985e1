#!/bin/bash
set -euo pipefail
cd /app/project
find . -name .git -type d -prune -o -type f \
    \( -name '*.txt' -o -name '*.md' -o -name '*.sh' -o -name '*.py' -o -name '*.cfg' \) \
    -print0 | xargs -0 -r sed -i 's/\r$//' --
find . -name .git -type d -prune -o -type f -name '*.sh' -print0 | xargs -0 -r chmod 755 --
