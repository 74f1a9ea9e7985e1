"""Reference implementation: align Markdown tables, copy everything else unchanged."""

import re

DELIM = re.compile(r":?-+:?")


def is_row(line):
    s = line.rstrip(" \t")
    return len(s) >= 2 and s.startswith("|") and s.endswith("|") and not s.endswith("\\|")


def cells(line):
    inner = line.rstrip(" \t")[1:-1]
    return [c.strip(" \t") for c in re.split(r"(?<!\\)\|", inner)]


def is_delim(line):
    return all(DELIM.fullmatch(c) for c in cells(line))


def pad(text, width, align):
    gap = width - len(text)
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def dashes(width, align):
    if align == "left":
        return ":" + "-" * (width - 1)
    if align == "right":
        return "-" * (width - 1) + ":"
    if align == "center":
        return ":" + "-" * (width - 2) + ":"
    return "-" * width


def format_table(rows):
    header = cells(rows[0])
    n = len(header)
    aligns = []
    for c in (cells(rows[1]) + ["---"] * n)[:n]:
        if c.startswith(":") and c.endswith(":") and len(c) > 1:
            aligns.append("center")
        elif c.startswith(":"):
            aligns.append("left")
        elif c.endswith(":"):
            aligns.append("right")
        else:
            aligns.append("none")
    body = [(cells(r) + [""] * n)[:n] for r in rows[2:]]
    widths = [max([3, len(header[i])] + [len(b[i]) for b in body]) for i in range(n)]

    def line(values):
        return "| " + " | ".join(pad(v, widths[i], aligns[i]) for i, v in enumerate(values)) + " |"

    out = [line(header), "| " + " | ".join(dashes(widths[i], aligns[i]) for i in range(n)) + " |"]
    out += [line(b) for b in body]
    return out


def render(text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out, i, fenced = [], 0, False
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            fenced = not fenced
        if fenced or line.startswith("```") or not is_row(line):
            out.append(line)
            i += 1
            continue
        j = i
        while j < len(lines) and is_row(lines[j]):
            j += 1
        block = lines[i:j]
        if len(block) >= 2 and is_delim(block[1]):
            out.extend(format_table(block))
        else:
            out.extend(block)
        i = j
    return "".join(x + "\n" for x in out)
