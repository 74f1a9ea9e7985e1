"""Build the site index from the page sources.

Usage: python3 tools/index.py OUTPUT.html PAGE.md [PAGE.md ...]

Pages are listed sorted by file name, linked as <name>.html, titled by their first "# " line.
"""

import html
import os
import sys


def title_of(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("# "):
                return line[2:].strip()
    return "Untitled"


def main(output, pages):
    items = []
    for page in sorted(pages, key=os.path.basename):
        name = os.path.splitext(os.path.basename(page))[0]
        items.append(f'  <li><a href="{name}.html">{html.escape(title_of(page))}</a></li>')
    with open(output, "w", encoding="utf-8") as fh:
        fh.write("<!DOCTYPE html>\n<title>Index</title>\n<ul>\n" + "\n".join(items) + "\n</ul>\n")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
