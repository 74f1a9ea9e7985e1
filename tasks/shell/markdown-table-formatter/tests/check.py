import os
import random
import subprocess
import sys

sys.path.insert(0, "/tests")
import reference

PROG = "/app/bin/mdtable"
WORDS = [
    "apple",
    "kiwi",
    "caf\u00e9",
    "na\u00efve",
    "x",
    "",
    "longer cell text",
    "a \\| b",
    "`code`",
    "**bold**",
    "42",
    "-7.5",
    "|",
]


def cell(rng):
    w = rng.choice(WORDS)
    if w == "|":
        w = "\\|"
    return rng.choice(["", " ", "  ", "\t"]) + w + rng.choice(["", " ", "   ", "\t"])


def row(rng, n):
    return "|" + "|".join(cell(rng) for _ in range(n)) + "|" + rng.choice(["", "", " ", "\t "])


def delim(rng, n):
    parts = []
    for _ in range(n):
        d = "-" * rng.randint(1, 6)
        d = rng.choice(["", ":"]) + d + rng.choice(["", ":"])
        parts.append(rng.choice(["", " "]) + d + rng.choice(["", " "]))
    return "|" + "|".join(parts) + "|"


def document(rng):
    out = []
    for _ in range(rng.randint(4, 9)):
        kind = rng.random()
        n = rng.randint(1, 5)
        if kind < 0.45:
            out.append(row(rng, n))
            out.append(delim(rng, n))
            for _ in range(rng.randint(0, 6)):
                out.append(row(rng, max(1, n + rng.choice([0, 0, 0, -1, 1, 2]))))
        elif kind < 0.55:
            out += ["```text", row(rng, n), delim(rng, n), row(rng, n), "```"]
        elif kind < 0.65:
            out += [row(rng, n), row(rng, n), row(rng, n)]
        elif kind < 0.72:
            out += [row(rng, n)]
        elif kind < 0.80:
            out += [row(rng, n), delim(rng, n), " " + row(rng, n), row(rng, n) + " x"]
        elif kind < 0.86:
            out += [row(rng, n), delim(rng, n), row(rng, n)[:-1] + "\\|", row(rng, n)]
        else:
            out.append(
                rng.choice(
                    ["Some text | with a pipe.", "", "# Heading", "- item | x |", "  indented", "|"]
                )
            )
        out.append(rng.choice(["", "", "paragraph text"]))
    text = "\n".join(out)
    return text + ("\n" if rng.random() < 0.8 else "")


HANDMADE = [
    "|Name|Qty|  Note |\n|:--|--:|:-:|\n| apple | 3 | fresh |\n|kiwi|12|\n",
    "| a |\n|:-:|\n|abcd|\n|abcde|\n",
    "|x|y|\n|-|-|\n",
    "||\n|---|\n||\n",
    "```\n|a|b|\n|-|-|\n```\n|a|b|\n|-|-|\n|c|d|",
    "|h1|h2|\n|--|-:|\n|\\|\\||t\\|u|\n| a|b|c|d|\n",
    "text\n|a|b|\n|---|---|\n|1|2|\ntext after\n|c|d|\n|:--:|---:|\n",
]

failures = []
if not (os.path.isfile(PROG) and os.access(PROG, os.X_OK)):
    sys.exit(f"{PROG} is missing or not executable")
rng = random.Random(1984)
docs = HANDMADE + [document(rng) for _ in range(40)]
env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
for k, doc in enumerate(docs):
    want = reference.render(doc)
    try:
        proc = subprocess.run(
            [PROG], input=doc.encode(), capture_output=True, timeout=10, env=env, cwd="/tmp"
        )
    except subprocess.TimeoutExpired:
        failures.append(f"document {k}: timed out")
        continue
    got = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        failures.append(
            f"document {k}: exit status {proc.returncode}: {proc.stderr.decode(errors='replace')[-300:]}"
        )
    elif got != want:
        g, w = got.split("\n"), want.split("\n")
        first = next(
            (i for i in range(max(len(g), len(w))) if i >= len(g) or i >= len(w) or g[i] != w[i]), 0
        )
        failures.append(
            f"document {k}: first difference at output line {first + 1}:\n  input:    {doc!r:.300}\n  expected: {w[first] if first < len(w) else '<end>'!r}\n  got:      {g[first] if first < len(g) else '<end>'!r}"
        )
if failures:
    print(f"{len(failures)} of {len(docs)} documents are wrong, e.g.:")
    print("\n".join(failures[:5]))
    sys.exit(1)
print(f"ok: {len(docs)} documents")
