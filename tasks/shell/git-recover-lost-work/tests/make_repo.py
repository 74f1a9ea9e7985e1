"""Build a repository in which work was lost in three different ways (sys.argv[1])."""

import os
import subprocess
import sys

repo = sys.argv[1]
os.makedirs(repo, exist_ok=True)
env = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Pat Parser",
    "GIT_AUTHOR_EMAIL": "pat@example.com",
    "GIT_COMMITTER_NAME": "Pat Parser",
    "GIT_COMMITTER_EMAIL": "pat@example.com",
}
clock = [1713000000]


def git(*args):
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def tick(step=3600):
    clock[0] += step
    env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{clock[0]} +0200"


def write(path, text):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full) or repo, exist_ok=True)
    with open(full, "w") as fh:
        fh.write(text)


def commit(message, files, *extra):
    for path, text in files.items():
        write(path, text)
    tick()
    git("add", "-A")
    git("commit", "-q", *extra, "-m", message)


git("init", "-q", "-b", "main")
git("config", "core.autocrlf", "false")
commit(
    "Initial commit",
    {"README.md": "# billing\n", "config.ini": "[billing]\ncurrency = EUR\nrounding = half-up\n"},
)
commit("Add customer model", {"billing/customers.py": "CUSTOMERS = {}\n"})
commit("Add invoice model", {"billing/invoices.py": "class Invoice:\n    pass\n"})
commit("Add CSV export", {"billing/export.py": "def to_csv(rows):\n    return ''\n"})

# Work on a branch that is later deleted.
git("checkout", "-q", "-b", "feature/parser")
commit(
    "parser: tokenize lines",
    {"billing/parser.py": "def tokens(line):\n    return line.split(',')\n"},
)
commit(
    "parser: handle quoted fields",
    {
        "billing/parser.py": "import csv\n\n\ndef tokens(line):\n    return next(csv.reader([line]))\n"
    },
)
# The last commit is amended (the first version stays behind as a dangling commit).
write(
    "billing/parser.py",
    "import csv\n\n\ndef tokens(line):\n    return next(csv.reader([line], skipinitialspace=True))\n",
)
git("add", "-A")
tick(600)
git("commit", "-q", "--amend", "--no-edit")
git("checkout", "-q", "main")
git("branch", "-D", "feature/parser")

# A stash that is dropped.
write("config.ini", "[billing]\ncurrency = EUR\nrounding = half-even\nprecision = 4\n")
write("billing/customers.py", "CUSTOMERS = {}\nDEFAULT_COUNTRY = 'DE'\n")
tick()
git("stash", "push", "-q", "-m", "tune config")
git("stash", "drop", "-q")

# Someone cleans up the reflogs...
git("reflog", "expire", "--expire=now", "--all")

# ...and later resets main by accident.
commit(
    "Add invoice totals",
    {"billing/invoices.py": "class Invoice:\n    def total(self):\n        return 0\n"},
)
commit("Add VAT handling", {"billing/vat.py": "RATES = {'DE': 19, 'FR': 20}\n"})
tick()
git("reset", "-q", "--hard", "HEAD~2")
