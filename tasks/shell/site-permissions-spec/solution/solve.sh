#!/bin/bash
set -euo pipefail
cd /app/site
# A leading 0 in front of the mode clears setuid/setgid bits on directories too
# (plain "chmod 755" keeps a directory's setgid bit).
find . -type d -exec chmod 00755 {} +
find . -type f -exec chmod 00644 {} +
find . -type f -name '*.sh' -exec chmod 00755 {} +
find ./bin -maxdepth 1 -type f -exec chmod 00755 {} +
find ./private -type d -exec chmod 00700 {} +
find ./private -type f -exec chmod 00600 {} +
