#!/bin/bash
set -euo pipefail
install -m 755 /solution/build-release.sh /app/build-release.sh
/app/build-release.sh
tar -tvzf /app/dist/myapp-1.4.2.tar.gz
cat /app/dist/myapp-1.4.2.tar.gz.sha256
