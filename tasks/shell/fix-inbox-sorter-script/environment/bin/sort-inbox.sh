#!/bin/bash
# sort-inbox.sh SRC DEST
#
# Files every regular file that sits directly in SRC into DEST/<ext>/:
#
#  * Only regular files directly inside SRC are moved. Subdirectories (and their
#    contents), symbolic links and hidden files (names starting with ".") stay where
#    they are. Files are processed in byte order of their names (as LC_ALL=C sorts).
#  * <ext> is the part of the file name after its last ".", converted to lower case
#    ("Report.Final.PDF" -> "pdf"). A name without a "." or ending in "." has no
#    extension and goes to DEST/noext/.
#  * The file keeps its name. If DEST/<ext>/<name> already exists, it gets the first
#    free name among <stem>-1.<e>, <stem>-2.<e>, ... where <stem> is the name before
#    the last "." and <e> the extension as written ("a.TXT" -> "a-1.TXT"); for names
#    without extension: <name>-1, <name>-2, ... Existing files are never overwritten.
#  * Missing directories (DEST, DEST/<ext>) are created.
#  * Afterwards it prints one line "<ext> <count>" for every <ext> directory that
#    received files in this run, sorted by <ext> in byte order (LC_ALL=C), then a
#    last line "total <number of files moved>" (also when nothing was moved).
#  * Exit status 0 on success, 2 on usage errors (not exactly two arguments, or SRC
#    is not a directory); usage errors print a message to stderr and move nothing.
set -euo pipefail

SRC=$1
DEST=$2

declare -A count
total=0
for f in $(ls $SRC); do
    [ -f $SRC/$f ] || continue
    ext=${f##*.}
    ext=${ext,,}
    mkdir -p $DEST/$ext
    target=$DEST/$ext/$f
    n=0
    while [ -e $target ]; do
        ((n++))
        target=$DEST/$ext/${f%.*}-$n.${f##*.}
    done
    mv $SRC/$f $target
    count[$ext]=$(( ${count[$ext]:-0} + 1 ))
    ((total++))
done

for ext in ${!count[@]}; do
    echo "$ext ${count[$ext]}"
done | sort
echo "total $total"
