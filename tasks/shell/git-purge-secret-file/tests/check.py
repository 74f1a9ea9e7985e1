import os
import shutil
import subprocess
import sys
import tempfile

REPO = "/app/repo"
SECRET = "config/secrets.env"
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "HOME": "/nonexistent",
    "LC_ALL": "C",
    "FILTER_BRANCH_SQUELCH_WARNING": "1",
}


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


def all_refs(repo):
    out = git("for-each-ref", "--format=%(refname) %(objectname)", repo=repo)
    return dict(line.split(" ") for line in out.splitlines())


def signature(repo, sha, memo):
    """What must be preserved about a commit, recursively including its ancestry."""
    if sha not in memo:
        raw = git("cat-file", "commit", sha, repo=repo)
        header, _, message = raw.partition("\n\n")
        tree, parents, author = None, [], None
        for line in header.split("\n"):
            if line.startswith("tree "):
                tree = line[5:]
            elif line.startswith("parent "):
                parents.append(line[7:])
            elif line.startswith("author "):
                author = line[7:]
        memo[sha] = (
            tree,
            author,
            message.strip(),
            tuple(signature(repo, p, memo) for p in parents),
        )
    return memo[sha]


def describe_ref(repo, ref, sha, memo):
    kind = git("cat-file", "-t", sha, repo=repo).strip()
    message = None
    if kind == "tag":
        message = git(
            "tag", "-l", "--format=%(contents)", ref.removeprefix("refs/tags/"), repo=repo
        ).strip()
    commit = git("rev-parse", f"{sha}^{{commit}}", repo=repo).strip()
    return kind, message, signature(repo, commit, memo)


tmp = tempfile.mkdtemp()
try:
    pristine = os.path.join(tmp, "pristine")
    subprocess.run(
        [sys.executable, "/tests/make_repo.py", pristine],
        check=True,
        env=GIT_ENV,
        stdout=subprocess.DEVNULL,
    )
    original_refs = all_refs(pristine)
    blobs = set()
    for sha in git("rev-list", "--all", repo=pristine).split():
        line = git("ls-tree", sha, "--", SECRET, repo=pristine).strip()
        if line:
            blobs.add(line.split()[2])
    with open(os.path.join(pristine, SECRET)) as fh:
        local_copy = fh.read()
    # The reference rewrite, done on the pristine copy.
    git(
        "filter-branch",
        "--prune-empty",
        "--index-filter",
        f"git rm -q --cached --ignore-unmatch -- {SECRET}",
        "--tag-name-filter",
        "cat",
        "--",
        "--all",
        repo=pristine,
    )
    expected = {
        ref: sha for ref, sha in all_refs(pristine).items() if not ref.startswith("refs/original/")
    }
    if set(expected) != set(original_refs):
        fail("internal error: reference rewrite changed the set of refs")

    got = all_refs(REPO)
    if set(got) != set(expected):
        fail(
            f"refs differ: missing {sorted(set(expected) - set(got))}, unexpected {sorted(set(got) - set(expected))}"
        )
    for sha in git("rev-list", "--all").split():
        if git("ls-tree", sha, "--", SECRET).strip():
            fail(f"commit {sha[:12]} still contains {SECRET}")
    memo_want, memo_got = {}, {}
    for ref in sorted(expected):
        want = describe_ref(pristine, ref, expected[ref], memo_want)
        have = describe_ref(REPO, ref, got[ref], memo_got)
        if want[:2] != have[:2]:
            fail(
                f"{ref}: expected a {want[0]} ref (message {want[1]!r}), got a {have[0]} ({have[1]!r})"
            )
        if want[2] != have[2]:
            fail(
                f"{ref}: the rewritten history differs from the original (files, messages, authors or structure)"
            )
    for blob in sorted(blobs):
        proc = subprocess.run(
            ["git", "-c", "safe.directory=*", "-C", REPO, "cat-file", "-e", blob],
            env=GIT_ENV,
            capture_output=True,
        )
        if proc.returncode == 0:
            fail(f"a version of {SECRET} (blob {blob[:12]}) is still in the object database")

    if git("symbolic-ref", "-q", "HEAD", check=False).strip() != "refs/heads/main":
        fail("main is not checked out")
    try:
        with open(os.path.join(REPO, SECRET)) as fh:
            if fh.read() != local_copy:
                fail(f"the working copy of {SECRET} does not have its original contents")
    except FileNotFoundError:
        fail(f"the working copy of {SECRET} is gone")
    if git("status", "--porcelain", "--ignored=no").strip():
        fail("git status is not clean")
    if os.path.exists(os.path.join(REPO, ".gitignore")):
        fail("a .gitignore file was created")
    ignored = git("check-ignore", "-v", "--no-index", SECRET, check=False)
    if not ignored.startswith(".git/info/exclude:"):
        fail(f"{SECRET} is not ignored through .git/info/exclude")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
