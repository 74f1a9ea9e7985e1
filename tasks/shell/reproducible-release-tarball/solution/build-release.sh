#!/bin/bash
# Build a reproducible release archive of /app/src/myapp.
set -euo pipefail
NAME=myapp-1.4.2
mkdir -p /app/dist
tar -C /app/src \
    --format=gnu \
    --sort=name \
    --mtime='2024-01-01 00:00:00 UTC' \
    --owner=root:0 --group=root:0 \
    --mode='u=rwX,go=rX' \
    --exclude='.git' --exclude='__pycache__' \
    --exclude='*.pyc' --exclude='*.swp' --exclude='*~' \
    --transform="s,^myapp,$NAME," \
    -cf - myapp \
    | gzip -n -9 > "/app/dist/$NAME.tar.gz"
(cd /app/dist && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")
