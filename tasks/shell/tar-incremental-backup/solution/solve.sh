#!/bin/bash
set -euo pipefail
cd /app
mkdir -p backups
rm -f backups/data.snar
tar --create --gzip --file=backups/data-full.tar.gz \
    --listed-incremental=backups/data.snar --exclude='*.tmp' data
cp backups/data.snar backups/data.snar.level0   # keep the level-0 state for later level-1 runs
/app/apply-changes.sh
tar --create --gzip --file=backups/data-incr-1.tar.gz \
    --listed-incremental=backups/data.snar --exclude='*.tmp' data
tar --list --gzip --file=backups/data-incr-1.tar.gz
