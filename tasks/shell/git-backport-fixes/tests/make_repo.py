"""Build a repository with a release branch and fixes to backport (sys.argv[1])."""

import os
import subprocess
import sys

repo = sys.argv[1]
os.makedirs(repo, exist_ok=True)
env = {**os.environ}
clock = [1712000000]
PEOPLE = {
    "ada": ("Ada Maintainer", "ada@example.com"),
    "bo": ("Bo Contributor", "bo@example.net"),
    "cy": ("Cy Security", "cy@example.org"),
}


def git(*args):
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def write(path, text):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full) or repo, exist_ok=True)
    with open(full, "w") as fh:
        fh.write(text)


def edit(path, old, new):
    full = os.path.join(repo, path)
    with open(full) as fh:
        text = fh.read()
    assert old in text, (path, old)
    write(path, text.replace(old, new, 1))


def tick(who):
    clock[0] += 7200
    name, email = PEOPLE[who]
    env.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_AUTHOR_DATE=f"@{clock[0]} +0000",
        GIT_COMMITTER_DATE=f"@{clock[0]} +0000",
    )


def commit(who, message, *extra):
    tick(who)
    git("add", "-A")
    git("commit", "-q", *extra, "-m", message)
    return git("rev-parse", "HEAD").strip()


git("init", "-q", "-b", "main")
git("config", "core.autocrlf", "false")
write("VERSION", "2.3.0-dev\n")
write(
    "shop/upload.py",
    '"""Store uploaded files."""\n\nimport os\n\nROOT = "/srv/uploads"\n\n\ndef target(name):\n    return os.path.join(ROOT, name)\n',
)
write(
    "shop/cart.py",
    '"""Shopping cart helpers."""\n\n\ndef total(cart):\n    return sum(item["price"] * item["qty"] for item in cart["items"])\n\n\ndef count(cart):\n    return sum(item["qty"] for item in cart["items"])\n',
)
write(
    "shop/money.py",
    '"""Money formatting."""\n\n\ndef fmt(cents):\n    return f"{cents // 100}.{cents % 100:02d}"\n',
)
write(
    "shop/text.py",
    '"""User facing texts."""\n\nWELCOME = "Wellcome to the shop"\nBYE = "Goodbye"\n',
)
write("docs/index.md", "# Shop\n")
commit("ada", "Initial import")
write(
    "shop/session.py",
    '"""Sessions."""\n\nTIMEOUT = 900\n\n\ndef expired(age):\n    return age > TIMEOUT\n',
)
commit("ada", "Add sessions")
git("branch", "release/2.3")

# --- work on main after the release branch was cut -------------------------------
write("shop/search.py", '"""Product search (new in 2.4)."""\n\n\ndef search(q):\n    return []\n')
commit("ada", "Add product search")
edit("shop/session.py", "return age > TIMEOUT", "return age >= TIMEOUT")
already = commit("bo", "Expire sessions exactly at the timeout\n\nFixes: BUG-150")
edit("shop/upload.py", "import os\n", "import os\nimport re\n")
edit(
    "shop/upload.py",
    "def target(name):\n    return os.path.join(ROOT, name)\n",
    'def target(name):\n    name = os.path.basename(name)\n    if not re.fullmatch(r"[A-Za-z0-9._-]+", name) or name.startswith("."):\n        raise ValueError("bad file name")\n    return os.path.join(ROOT, name)\n',
)
commit("cy", "Reject path traversal in upload names\n\nFixes: SEC-101")
write(
    "docs/security.md",
    "# Security\n\nUpload names are sanitised (see SEC-101).\n",
)
commit("cy", "Document the upload hardening\n\nRefs: SEC-101")
write("shop/search.py", '"""Product search (new in 2.4)."""\n\n\ndef search(q):\n    return [q]\n')
commit("bo", "search: echo the query for now")
edit(
    "shop/cart.py",
    'def total(cart):\n    return sum(item["price"] * item["qty"] for item in cart["items"])\n',
    'def total(cart):\n    return sum(item["price"] * item["qty"] for item in cart.get("items", []))\n',
)
commit("bo", "Do not crash on carts without items\n\nFixes: BUG-220")
edit("shop/money.py", 'return f"{cents // 100}.{cents % 100:02d}"', 'return f"{cents / 100:.2f}"')
commit("ada", "Simplify money formatting\n\nFixes: BUG-2201")
edit("shop/text.py", "Wellcome", "Welcome")
commit("bo", "Fix typo in welcome text\n\nFixes: BUG-7")
write("docs/index.md", "# Shop\n\nSee also: search.\n")
commit("ada", "Add test notes for BUG-220\n\nThese notes only describe manual testing of BUG-220.")
edit(
    "shop/cart.py",
    'def count(cart):\n    return sum(item["qty"] for item in cart["items"])\n',
    'def count(cart):\n    return sum(item["qty"] for item in cart.get("items", []))\n',
)
commit("bo", "Also handle carts without items in count()\n\nFixes: BUG-220")
edit("shop/text.py", 'BYE = "Goodbye"', 'BYE = "Goodbye!"')
commit("ada", "More cheerful goodbye\n\nFixes: BUG-70")
edit("VERSION", "2.3.0-dev", "2.4.0-dev")
commit("ada", "Start 2.4 development")
write(
    "shop/search.py",
    '"""Product search (new in 2.4)."""\n\n\ndef search(q):\n    return [q.strip()]\n',
)
commit("bo", "search: strip the query\n\nFixes: SEC-1011")

# --- the release branch ----------------------------------------------------------
git("checkout", "-q", "release/2.3")
edit("VERSION", "2.3.0-dev", "2.3.0")
commit("ada", "Release 2.3.0")
tick("ada")
git("tag", "-a", "v2.3.0", "-m", "Version 2.3.0")
tick("ada")
git("cherry-pick", "-x", already)
edit("VERSION", "2.3.0", "2.3.1-dev")
commit("ada", "Start 2.3.1")
git("checkout", "-q", "main")
