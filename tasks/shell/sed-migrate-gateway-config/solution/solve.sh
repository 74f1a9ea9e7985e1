#!/bin/bash
set -euo pipefail
cd /app/etc
cp -p gateway.conf gateway.conf.orig
sed -i -E \
    -e 's/[ \t]+$//' \
    -e '/^[ \t]*#/!s/legacy-db\.corp\.example/db.internal.example/g' \
    -e '/^[ \t]*debug[ \t]*=/s/^/# /' \
    gateway.conf
# Section-aware edit: after an upstream header, loop over the following lines with `n`
# until a header of another kind appears (a plain /a/,/b/ range would swallow the next
# upstream header as its end line and skip that section).
sed -i -E '
/^\[upstream /{
:loop
n
/^\[/{
  /^\[upstream /b loop
  b
}
s/^enabled = yes$/enabled = true/
s/^enabled = no$/enabled = false/
b loop
}
' gateway.conf
