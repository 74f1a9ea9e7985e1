import os
import re
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
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t",
}


def git(*args, repo=REPO, check=True):
    proc = subprocess.run(
        ["git", "-c", "safe.directory=*", "-C", repo, *args],
        capture_output=True,
        text=True,
        env=GIT_ENV,
    )
    if check and proc.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def fail(message):
    print(message)
    sys.exit(1)


tmp = tempfile.mkdtemp()
try:
    pristine = os.path.join(tmp, "repo")
    subprocess.run([sys.executable, "/tests/make_repo.py", pristine], check=True, env=GIT_ENV)
    old_tip = git("rev-parse", "main", repo=pristine)
    bad = None
    for sha in git("rev-list", "--reverse", "main", repo=pristine).split():
        if "return net * rate // 100" in git("show", f"{sha}:shop/pricing.py", repo=pristine):
            bad = sha
            break
    assert bad, "generator did not plant the regression"
    git("revert", "--no-edit", bad, repo=pristine)
    want_tree = git("rev-parse", "HEAD^{tree}", repo=pristine)

    try:
        with open("/app/first_bad.txt") as fh:
            answer = fh.read().strip()
    except OSError as exc:
        fail(f"cannot read /app/first_bad.txt: {exc}")
    if not re.fullmatch(r"[0-9a-f]{40}", answer) or answer != bad:
        fail(f"/app/first_bad.txt holds {answer[:60]!r}, not the first bad commit")

    tagged = git("rev-parse", "-q", "--verify", "refs/tags/regression^{commit}", check=False)
    if tagged != bad:
        fail(f"tag 'regression' points at {tagged or 'nothing'}")

    tip = git("rev-parse", "refs/heads/main")
    parents = git("rev-list", "--parents", "-n", "1", tip).split()[1:]
    if parents != [old_tip]:
        fail("main must have exactly one new commit on top of the original tip")
    if git("rev-parse", f"{tip}^{{tree}}") != want_tree:
        fail("the new commit does not exactly revert the first bad commit")
    if git("symbolic-ref", "-q", "HEAD", check=False) != "refs/heads/main":
        fail("main is not checked out")
    if git("status", "--porcelain", "--untracked-files=no"):
        fail("working tree is not clean")
    gitdir = os.path.join(REPO, ".git")
    for marker in ("BISECT_LOG", "REVERT_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD"):
        if os.path.exists(os.path.join(gitdir, marker)):
            fail(f"{marker} exists: an operation is still in progress")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
