"""Render one Markdown-ish page into HTML.

Usage: python3 tools/render.py TEMPLATE PAGE.md OUTPUT.html

Besides TEMPLATE it also reads templates/nav.html (relative to the current directory).
"""

import html
import sys


def convert(lines):
    out, para, in_list = [], [], False

    def flush():
        nonlocal para, in_list
        if para:
            out.append("<p>" + " ".join(para) + "</p>")
            para = []
        if in_list:
            out.append("</ul>")
            in_list = False

    title = None
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("# "):
            flush()
            title = title or line[2:].strip()
            out.append(f"<h1>{html.escape(line[2:].strip())}</h1>")
        elif line.startswith("## "):
            flush()
            out.append(f"<h2>{html.escape(line[3:].strip())}</h2>")
        elif line.startswith("- "):
            if para:
                out.append("<p>" + " ".join(para) + "</p>")
                para = []
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{html.escape(line[2:].strip())}</li>")
        elif not line.strip():
            flush()
        else:
            if in_list:
                out.append("</ul>")
                in_list = False
            para.append(html.escape(line.strip()))
    flush()
    return title or "Untitled", "\n".join(out)


def main(template, page, output):
    with open(template, encoding="utf-8") as fh:
        tmpl = fh.read()
    with open("templates/nav.html", encoding="utf-8") as fh:
        nav = fh.read().strip()
    with open(page, encoding="utf-8") as fh:
        title, body = convert(fh)
    text = (
        tmpl.replace("{{title}}", html.escape(title))
        .replace("{{nav}}", nav)
        .replace("{{body}}", body)
    )
    with open(output, "w", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
