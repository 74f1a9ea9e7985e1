#!/bin/bash
set -euo pipefail
cd /app/photos
d='[0-9]'
ext='\.[jJ][pP]([eE])?[gG]'   # jpg / jpeg in any letter case
for f in *; do
    [ -f "$f" ] || continue
    if [[ $f =~ ^IMG_($d{4})($d{2})($d{2})_($d{2})($d{2})($d{2})$ext$ ]] ||
       [[ $f =~ ^PXL_($d{4})($d{2})($d{2})_($d{2})($d{2})($d{2})$d{3}$ext$ ]] ||
       [[ $f =~ ^Photo\ ($d{4})-($d{2})-($d{2})\ at\ ($d{2})\.($d{2})\.($d{2})$ext$ ]]; then
        m=("${BASH_REMATCH[@]}")
        new="${m[1]}-${m[2]}-${m[3]}_${m[4]}-${m[5]}-${m[6]}.jpg"
        mv -n -- "$f" "$new"
    fi
done
