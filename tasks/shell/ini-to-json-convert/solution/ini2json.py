"""Convert the task's INI dialect to JSON: ini2json.py IN.ini OUT.json"""

import json
import re
import sys

INT = re.compile(r"-?(0|[1-9][0-9]*)")
DEC = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+")
BOOLS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def quoted(v):
    out, i = [], 1
    while i < len(v):
        c = v[i]
        if c == "\\" and i + 1 < len(v) and v[i + 1] in '"\\':
            out.append(v[i + 1])
            i += 2
            continue
        if c == '"':
            break
        out.append(c)
        i += 1
    return "".join(out)


def unquoted(v):
    m = re.search(r"[ \t][#;]", v)
    if m:
        v = v[: m.start()]
    v = v.rstrip(" \t")
    if v.lower() in BOOLS:
        return BOOLS[v.lower()]
    if INT.fullmatch(v):
        return int(v)
    if DEC.fullmatch(v):
        return float(v)
    return v


def convert(text):
    root = {}
    current = root
    for raw in text.split("\n"):
        line = raw.removesuffix("\r").strip(" \t")
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = root
            for part in line[1:-1].strip(" \t").split("."):
                current = current.setdefault(part, {})
            continue
        key, _, value = line.partition("=")
        value = value.lstrip(" \t")
        current[key.strip(" \t")] = quoted(value) if value.startswith('"') else unquoted(value)
    return root


with open(sys.argv[1], encoding="utf-8", newline="") as fh:
    data = convert(fh.read())
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    json.dump(data, fh, indent=2, ensure_ascii=False)
    fh.write("\n")
