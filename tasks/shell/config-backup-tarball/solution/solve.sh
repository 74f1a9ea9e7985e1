#!/bin/bash
set -euo pipefail
stage=$(mktemp -d)
mkdir -p "$stage/configs" /app/backup
cd /app/etc-src
# Regular *.conf files, pruning every directory named "disabled".
find . -type d -name disabled -prune -o -type f -name '*.conf' -print0 \
  | sed -z 's|^\./||' | LC_ALL=C sort -z > "$stage/list"
xargs -0 -a "$stage/list" cp --parents -t "$stage/configs"
(cd "$stage/configs" && xargs -0 -a "$stage/list" sha256sum > MANIFEST)
tar -C "$stage" -czf /app/backup/configs.tar.gz configs
rm -rf "$stage"
