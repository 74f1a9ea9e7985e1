"""Create a deterministic project tree with CRLF text files: gen_tree.py DEST

Also importable: entries() yields (path, bytes, mode) for every regular file created,
links() the symbolic links.
"""

import os
import random
import sys

TEXT_EXT = [".txt", ".md", ".sh", ".py", ".cfg"]
OTHER_EXT = [".png", ".bin", ".TXT", ".csv", ".md.orig"]
DIRS = [
    "",
    "docs",
    "docs/user guide",
    "scripts",
    "src/app",
    "src/app/util",
    "config",
    "assets",
    ".git",
    ".git/hooks",
    "vendor/.git",
]


def text(rng, crlf):
    lines = []
    for _ in range(rng.randint(1, 30)):
        words = " ".join(
            rng.choice(["alpha", "beta", "echo", "$HOME", "x=1", "# note", "\t"])
            for _ in range(rng.randint(0, 8))
        )
        lines.append(words)
    if rng.random() < 0.2:
        lines.insert(0, "progress 10%\rprogress 50%\rdone")
    eol = "\r\n" if crlf else "\n"
    body = eol.join(lines)
    if rng.random() < 0.9:
        body += eol
    return body.encode()


def entries():
    rng = random.Random(1310)
    seen = set()
    for i in range(140):
        d = rng.choice(DIRS)
        if rng.random() < 0.7:
            ext = rng.choice(TEXT_EXT)
            data = text(rng, crlf=rng.random() < 0.75)
        else:
            ext = rng.choice(OTHER_EXT)
            data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))) + b"\r\n\r\n"
            if ext in (".TXT", ".csv", ".md.orig"):
                data = text(rng, crlf=True)
        name = rng.choice(["file", "read me", "run-all", "notes v2", "-dash"]) + f"{i}{ext}"
        path = f"{d}/{name}" if d else name
        if path in seen:
            continue
        seen.add(path)
        mode = rng.choice([0o644, 0o644, 0o600, 0o664, 0o755, 0o700])
        yield path, data, mode


def links():
    return [("docs/latest.md", "../README.md"), ("scripts/run.sh", "deploy.sh")]


def fixed():
    yield "README.md", b"# Project\r\n\r\nSee docs.\r\n", 0o644
    yield "scripts/deploy.sh", b"#!/bin/sh\r\necho deploy\r\n", 0o644


def create(dest):
    for path, data, mode in [*entries(), *fixed()]:
        full = os.path.join(dest, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(data)
        os.chmod(full, mode)
    for path, target in links():
        os.symlink(target, os.path.join(dest, path))


if __name__ == "__main__":
    create(sys.argv[1])
