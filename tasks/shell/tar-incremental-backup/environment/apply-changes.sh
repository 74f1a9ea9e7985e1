#!/bin/bash
# Simulates a day of work on the data directory. Run it exactly once.
set -euo pipefail
cd "${1:-/app/data}"
echo "action items: ship beta" >> notes/meeting.txt
printf 'echo alpha v2\n' >> projects/alpha/run.sh
mkdir -p "projects/gamma/assets"
printf 'gamma kickoff\n' > projects/gamma/README.md
printf 'logo\n' > "projects/gamma/assets/logo v1.bin"
printf 'new photo\n' > "photos/2023 summer/beach day.txt"
mv projects/beta/spec.md projects/beta/specification.md
rm -r archive/old
rm "photos/notes-0 copy.txt" photos/scratch-2.tmp
chmod 600 notes/meeting.txt
printf 'scratch\n' > projects/gamma/build.tmp
printf 'todo: call Bob\n' > "notes/todo today.txt"
