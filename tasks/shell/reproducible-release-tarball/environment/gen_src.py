"""Create the myapp source tree: gen_src.py DEST_DIR (the tree goes to DEST_DIR/myapp).

Also importable: tree() returns the objects as (path, kind, mode, data) tuples, where kind is
"dir", "file" or "link" and data is the file contents or the link target.
"""

import os
import sys


def tree():
    t = [
        ("", "dir", 0o755, None),
        ("README.md", "file", 0o644, b"# myapp\n\nA tiny example application.\n"),
        ("README.md~", "file", 0o644, b"# myapp (old)\n"),
        ("setup.cfg", "file", 0o600, b"[metadata]\nname = myapp\nversion = 1.4.2\n"),
        ("myapp", "dir", 0o775, None),
        ("myapp/__init__.py", "file", 0o644, b'__version__ = "1.4.2"\n'),
        ("myapp/cli.py", "file", 0o755, b"#!/usr/bin/env python3\nprint('myapp')\n"),
        ("myapp/core.py", "file", 0o640, b"def run():\n    return 42\n"),
        ("myapp/.core.py.swp", "file", 0o600, b"\x00swap\x00"),
        ("myapp/__pycache__", "dir", 0o755, None),
        ("myapp/__pycache__/core.cpython-311.pyc", "file", 0o644, b"\x00pyc"),
        ("myapp/legacy.pyc", "file", 0o644, b"\x00old pyc"),
        ("myapp/util", "dir", 0o700, None),
        ("myapp/util/__init__.py", "file", 0o644, b""),
        ("myapp/util/text.py", "file", 0o664, b"def shout(s):\n    return s.upper()\n"),
        ("myapp/util/__pycache__", "dir", 0o755, None),
        ("myapp/util/__pycache__/text.cpython-311.pyc", "file", 0o644, b"\x00pyc"),
        ("lib", "dir", 0o755, None),
        ("lib/helper.sh", "file", 0o750, b"#!/bin/sh\necho helper\n"),
        ("lib/Zeta.txt", "file", 0o644, b"upper-case names sort first\n"),
        ("lib/alpha.txt", "file", 0o644, b"alpha\n"),
        ("lib-extra.txt", "file", 0o644, b"a file whose name extends a directory name\n"),
        ("lib.d", "dir", 0o755, None),
        ("lib.d/10-defaults.conf", "file", 0o644, b"level = 1\n"),
        ("lib.d/9-override.conf", "file", 0o644, b"level = 9\n"),
        ("bin", "dir", 0o755, None),
        ("bin/myapp", "link", None, "../myapp/cli.py"),
        ("bin/run tests.sh", "file", 0o700, b"#!/bin/sh\npython3 -m pytest\n"),
        ("data", "dir", 0o755, None),
        ("data/cache", "dir", 0o755, None),
        ("data/seed.csv", "file", 0o444, b"id,name\n1,alpha\n2,beta\n"),
        ("docs", "dir", 0o755, None),
        ("docs/guide.md", "file", 0o644, b"# Guide\n\nRun `myapp`.\n"),
        ("docs/guide.md.swp", "file", 0o600, b"\x00swap"),
        ("docs/latest", "link", None, "guide.md"),
        (".gitignore", "file", 0o644, b"__pycache__/\n*.pyc\n"),
        (".git", "dir", 0o755, None),
        (".git/HEAD", "file", 0o644, b"ref: refs/heads/main\n"),
        (".git/config", "file", 0o644, b"[core]\n\tbare = false\n"),
        (".git/objects", "dir", 0o755, None),
    ]
    return t


def create(dest):
    root = os.path.join(dest, "myapp")
    entries = tree()
    for path, kind, _mode, data in entries:
        full = os.path.join(root, path) if path else root
        if kind == "dir":
            os.makedirs(full, exist_ok=True)
        elif kind == "file":
            with open(full, "wb") as fh:
                fh.write(data)
        else:
            os.symlink(data, full)
    for path, kind, mode, _data in reversed(entries):
        if kind != "link":
            os.chmod(os.path.join(root, path) if path else root, mode)


if __name__ == "__main__":
    create(sys.argv[1])
