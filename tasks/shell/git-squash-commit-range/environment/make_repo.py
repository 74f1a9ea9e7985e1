"""Build a repository with a run of messy work-in-progress commits (sys.argv[1])."""

import os
import subprocess
import sys

repo = sys.argv[1]
os.makedirs(repo, exist_ok=True)
env = {**os.environ}
clock = [1711000000]
PEOPLE = {
    "kim": ("Kim Coder", "kim@example.com"),
    "lee": ("Lee Helper", "lee@example.org"),
    "ana": ("Ana Lead", "ana@example.com"),
}


def git(*args):
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def tick(who):
    clock[0] += 4000
    name, email = PEOPLE[who]
    env.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_AUTHOR_DATE=f"@{clock[0]} +0100",
        GIT_COMMITTER_DATE=f"@{clock[0] + 30} +0100",
    )


def commit(who, message, files):
    for path, text in files.items():
        full = os.path.join(repo, path)
        if text is None:
            os.remove(full)
            continue
        os.makedirs(os.path.dirname(full) or repo, exist_ok=True)
        with open(full, "w") as fh:
            fh.write(text)
    tick(who)
    git("add", "-A")
    git("commit", "-q", "-m", message)


git("init", "-q", "-b", "main")
git("config", "core.autocrlf", "false")
commit("ana", "Initial commit", {"README.md": "# ledger\n\nPersonal finance ledger.\n"})
commit(
    "ana",
    "Add tokenizer",
    {"ledger/tokens.py": "def tokens(line):\n    return line.split()\n"},
)
commit(
    "kim",
    "tokenizer: skip comments\n\nLines starting with '#' are ignored.",
    {
        "ledger/tokens.py": "def tokens(line):\n    if line.startswith('#'):\n        return []\n    return line.split()\n"
    },
)
tick("ana")
git("tag", "-a", "v0.1", "-m", "First preview")

# The messy run that has to be squashed.
commit("kim", "WIP: start CSV importer", {"ledger/importer.py": "import csv\n\n# TODO\n"})
commit(
    "kim",
    "importer: fix typo",
    {"ledger/importer.py": "import csv\n\n# TODO: read rows\n", "notes.txt": "scratch notes\n"},
)
commit(
    "lee",
    "importer: more WIP",
    {
        "ledger/importer.py": "import csv\n\n\ndef read(path):\n    with open(path) as fh:\n        return list(csv.reader(fh))\n",
    },
)
commit("kim", "oops", {"notes.txt": None, "debug.log": "x=1\n"})
commit(
    "kim",
    "importer: final cleanup",
    {
        "debug.log": None,
        "ledger/importer.py": '"""Import ledger rows from CSV files."""\n\nimport csv\n\n\ndef read(path):\n    with open(path, newline="") as fh:\n        return [row for row in csv.reader(fh) if row]\n',
    },
)

# Later work that must survive unchanged (apart from new hashes).
commit(
    "ana",
    "Document the CSV importer",
    {
        "README.md": "# ledger\n\nPersonal finance ledger.\n\nImport CSV files with `ledger.importer.read`.\n"
    },
)
git("tag", "v0.2")
commit("lee", "Bump version to 0.3.0", {"VERSION": "0.3.0\n"})
commit(
    "kim",
    'tokenizer: keep quoted strings together\n\nUses shlex so that "two words" stay one token.\n\nFixes: LED-14',
    {
        "ledger/tokens.py": "import shlex\n\n\ndef tokens(line):\n    if line.startswith('#'):\n        return []\n    return shlex.split(line)\n"
    },
)
tick("ana")
git("tag", "-a", "v0.3", "-m", "Release 0.3\n\nCSV import and better tokens.")
commit("ana", "Start 0.4 development", {"VERSION": "0.4.0.dev0\n"})
