import os
import shutil
import subprocess
import sys
import tempfile

REPO = "/app/repo"
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "HOME": "/nonexistent",
    "LC_ALL": "C",
}
MESSAGE = "Add CSV importer\n\nReads ledger rows from CSV files, skipping empty rows."


def git(*args, repo=REPO, check=True):
    proc = subprocess.run(
        ["git", "-c", "safe.directory=*", "-C", repo, *args],
        capture_output=True,
        text=True,
        env=GIT_ENV,
    )
    if check and proc.returncode != 0:
        fail(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def fail(message):
    print(message)
    sys.exit(1)


def info(sha, repo=REPO):
    out = git("log", "-1", "--format=%T%x00%an%x00%ae%x00%ad%x00%B", "--date=raw", sha, repo=repo)
    tree, name, email, date, body = out.split("\x00", 4)
    body = "\n".join(line.rstrip() for line in body.strip().split("\n"))
    return {"tree": tree, "author": (name, email), "date": date, "message": body}


def tags(repo):
    result = {}
    for name in git("tag", "-l", repo=repo).split():
        kind = git("cat-file", "-t", name, repo=repo).strip()
        target = git("rev-parse", f"{name}^{{commit}}", repo=repo).strip()
        message = None
        if kind == "tag":
            message = git("tag", "-l", "--format=%(contents)", name, repo=repo).strip()
        result[name] = (kind, target, message)
    return result


tmp = tempfile.mkdtemp()
try:
    pristine = os.path.join(tmp, "pristine")
    subprocess.run(
        [sys.executable, "/tests/make_repo.py", pristine],
        check=True,
        env=GIT_ENV,
        stdout=subprocess.DEVNULL,
    )
    old = git("rev-list", "--reverse", "main", repo=pristine).split()
    subjects = [git("log", "-1", "--format=%s", c, repo=pristine).strip() for c in old]
    first = subjects.index("WIP: start CSV importer")
    last = subjects.index("importer: final cleanup")

    if git("symbolic-ref", "-q", "HEAD", check=False).strip() != "refs/heads/main":
        fail("main is not checked out")
    if git("status", "--porcelain").strip():
        fail("the working tree is not clean")
    for marker in ("rebase-merge", "rebase-apply", "CHERRY_PICK_HEAD"):
        if os.path.exists(os.path.join(REPO, ".git", marker)):
            fail("a rebase or cherry-pick is still in progress")

    new = git("rev-list", "--reverse", "--topo-order", "main").split()
    if git("rev-list", "--merges", "main").strip():
        fail("main's history contains merge commits")
    want_len = first + 1 + (len(old) - last - 1)
    if len(new) != want_len:
        fail(f"main has {len(new)} commits, expected {want_len}")
    if new[:first] != old[:first]:
        fail("the commits before the squashed run were changed")

    squash = info(new[first])
    if squash["message"] != MESSAGE:
        fail(f"the squashed commit's message is {squash['message']!r}")
    if squash["author"] != info(old[first], pristine)["author"]:
        fail(f"the squashed commit's author is {squash['author']}")
    if squash["tree"] != info(old[last], pristine)["tree"]:
        fail("the squashed commit's tree differs from the tree of 'importer: final cleanup'")

    mapping = dict(zip(old[last + 1 :], new[first + 1 :], strict=True))
    for o, n in mapping.items():
        want, got = info(o, pristine), info(n)
        for field in ("message", "author", "date", "tree"):
            if got[field] != want[field]:
                fail(f"rewritten commit {want['message'].splitlines()[0]!r}: {field} changed")

    want_tags = {}
    for name, (kind, target, message) in tags(pristine).items():
        want_tags[name] = (kind, mapping.get(target, target), message)
    got_tags = tags(REPO)
    if got_tags != want_tags:
        for name in sorted(set(got_tags) | set(want_tags)):
            if got_tags.get(name) != want_tags.get(name):
                fail(f"tag {name} is {got_tags.get(name)}, expected {want_tags.get(name)}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
