"""Build the branch-housekeeping demo repository deterministically in sys.argv[1]."""

import os
import subprocess
import sys

repo = sys.argv[1]
os.makedirs(repo, exist_ok=True)
env = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Robin Release",
    "GIT_AUTHOR_EMAIL": "robin@example.com",
    "GIT_COMMITTER_NAME": "Robin Release",
    "GIT_COMMITTER_EMAIL": "robin@example.com",
}
clock = [1704100000]


def git(*args):
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def tick():
    clock[0] += 3600
    env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{clock[0]} +0000"


def commit(message, path, text):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full) or repo, exist_ok=True)
    with open(full, "a") as fh:
        fh.write(text)
    tick()
    git("add", "-A")
    git("commit", "-q", "-m", message)


git("init", "-q", "-b", "main")
git("config", "core.autocrlf", "false")
commit("Initial commit", "README.md", "# inventory\n")
commit("Add item model", "inventory/items.py", "ITEMS = {}\n")
git("branch", "feature")
commit("Add stock counter", "inventory/stock.py", "def count(items):\n    return len(items)\n")
git("branch", "fix-typo")
commit("Fix typo in README", "README.md", "Inventory tracking.\n")
tick()
git("tag", "-a", "v1.0", "-m", "Release 1.0")
git("branch", "release/1.0")
commit("Add CSV reader", "inventory/csvio.py", "import csv\n")
git("branch", "exp/old-ui")
commit("Add locations", "inventory/locations.py", "LOCATIONS = []\n")
git("branch", "develop")

# Unmerged work that forks from here.
git("checkout", "-q", "-b", "feat-login")
commit("login: add form", "inventory/login.py", "def form():\n    pass\n")
commit("login: check password", "inventory/login.py", "def check(pw):\n    return bool(pw)\n")
git("checkout", "-q", "main")
git("checkout", "-q", "-b", "fix-crash")
commit("Guard against empty stock", "inventory/stock.py", "# TODO: empty stock\n")
git("checkout", "-q", "main")
git("checkout", "-q", "-b", "old-feat-charts")
commit("charts: first sketch", "inventory/charts.py", "CHARTS = 1\n")
git("checkout", "-q", "main")

# A feature branch merged back with a merge commit.
git("checkout", "-q", "-b", "feat-export")
commit("export: write CSV", "inventory/export.py", "def export():\n    pass\n")
commit("export: add header row", "inventory/export.py", "HEADER = True\n")
git("checkout", "-q", "main")
commit("Tidy locations", "inventory/locations.py", "# sorted\n")
tick()
git("merge", "-q", "--no-ff", "-m", "Merge branch 'feat-export'", "feat-export")

git("checkout", "-q", "-b", "Feat-Upper")
commit("Upper-case experiment", "inventory/upper.py", "UPPER = True\n")
git("checkout", "-q", "main")
git("checkout", "-q", "-b", "exp/graphs")
commit("graphs: prototype", "inventory/graphs.py", "GRAPHS = []\n")
git("checkout", "-q", "main")

commit("Release notes for 1.1", "CHANGES.md", "1.1: export, locations\n")
tick()
git("tag", "-a", "v1.1", "-m", "Release 1.1")
commit("Start 1.2 development", "CHANGES.md", "1.2: (unreleased)\n")
tick()
git("tag", "v1.2-rc1")
git("checkout", "-q", "-b", "feat-api-v2")
commit("api v2: routes", "inventory/api_v2.py", "ROUTES = []\n")
git("checkout", "-q", "main")
commit("Bump dependencies", "requirements.txt", "requests==2.31.0\n")
git("branch", "feat-search")
git("checkout", "-q", "fix-typo")
