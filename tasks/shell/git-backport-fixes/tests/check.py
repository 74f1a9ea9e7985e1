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
    "GIT_AUTHOR_NAME": "Checker",
    "GIT_AUTHOR_EMAIL": "checker@example.com",
    "GIT_COMMITTER_NAME": "Checker",
    "GIT_COMMITTER_EMAIL": "checker@example.com",
}


def git(*args, repo=REPO, check=True, stdin=None):
    proc = subprocess.run(
        ["git", "-c", "safe.directory=*", "-C", repo, *args],
        capture_output=True,
        text=True,
        env=GIT_ENV,
        input=stdin,
    )
    if check and proc.returncode != 0:
        fail(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def fail(message):
    print(message)
    sys.exit(1)


def message(sha, repo=REPO):
    return git("log", "-1", "--format=%B", sha, repo=repo).strip()


def patch_id(sha, repo=REPO):
    diff = git("show", "--format=", "--no-color", sha, repo=repo)
    return git("patch-id", "--stable", repo=repo, stdin=diff).split(" ")[0]


with open("/tests/backports.txt") as fh:
    ids = {line.strip() for line in fh if line.strip() and not line.startswith("#")}

tmp = tempfile.mkdtemp()
try:
    pristine = os.path.join(tmp, "pristine")
    subprocess.run(
        [sys.executable, "/tests/make_repo.py", pristine],
        check=True,
        env=GIT_ENV,
        stdout=subprocess.DEVNULL,
    )
    main_tip = git("rev-parse", "main", repo=pristine).strip()
    rel_tip = git("rev-parse", "release/2.3", repo=pristine).strip()
    already = {
        line.removeprefix("(cherry picked from commit ").removesuffix(")")
        for line in git("log", "--format=%B", rel_tip, repo=pristine).splitlines()
        if line.startswith("(cherry picked from commit ")
    }
    picks = []
    for sha in git(
        "rev-list", "--reverse", "--topo-order", f"{rel_tip}..{main_tip}", repo=pristine
    ).split():
        trailers = git(
            "interpret-trailers", "--parse", repo=pristine, stdin=message(sha, pristine) + "\n"
        )
        fixes = {
            line.removeprefix("Fixes: ")
            for line in trailers.splitlines()
            if line.startswith("Fixes: ")
        }
        if fixes & ids and sha not in already:
            picks.append(sha)
    # Expected final tree: the same cherry-picks done here.
    git("checkout", "-q", "release/2.3", repo=pristine)
    git("cherry-pick", "-x", *picks, repo=pristine)
    want_tree = git("rev-parse", "HEAD^{tree}", repo=pristine).strip()

    tag_refs = ["refs/tags/" + t for t in git("tag", "-l", repo=pristine).split()]
    for ref in ["refs/heads/main", *tag_refs]:
        if git("rev-parse", "-q", "--verify", ref, check=False) != git(
            "rev-parse", ref, repo=pristine
        ):
            fail(f"{ref} was changed")
    if git("symbolic-ref", "-q", "HEAD", check=False).strip() != "refs/heads/release/2.3":
        fail("release/2.3 is not checked out")
    if git("status", "--porcelain", "--untracked-files=no").strip():
        fail("the working tree is not clean")
    if os.path.exists(os.path.join(REPO, ".git", "CHERRY_PICK_HEAD")) or os.path.exists(
        os.path.join(REPO, ".git", "sequencer")
    ):
        fail("a cherry-pick is still in progress")

    new_tip = git("rev-parse", "refs/heads/release/2.3").strip()
    proc = subprocess.run(
        [
            "git",
            "-c",
            "safe.directory=*",
            "-C",
            REPO,
            "merge-base",
            "--is-ancestor",
            rel_tip,
            new_tip,
        ],
        env=GIT_ENV,
    )
    if proc.returncode != 0:
        fail("release/2.3 no longer contains its original commits")
    new = git("rev-list", "--reverse", "--topo-order", f"{rel_tip}..{new_tip}").split()
    if git("rev-list", "--merges", f"{rel_tip}..{new_tip}").strip():
        fail("merge commits were added to release/2.3")
    if len(new) != len(picks):
        fail(f"{len(new)} commits were added to release/2.3, expected {len(picks)}")
    for orig, got in zip(picks, new, strict=True):
        subject = message(orig, pristine).splitlines()[0]
        lines = [line.rstrip() for line in message(got).splitlines()]
        want_last = f"(cherry picked from commit {orig})"
        if not lines or lines[-1] != want_last:
            fail(f"backport of {subject!r} does not end with {want_last!r}")
        body = "\n".join(lines[:-1]).strip()
        if body != "\n".join(line.rstrip() for line in message(orig, pristine).splitlines()):
            fail(f"backport of {subject!r} has a different message")
        fmt = "--format=%an <%ae> %ad"
        if git("log", "-1", fmt, got) != git("log", "-1", fmt, orig, repo=pristine):
            fail(f"backport of {subject!r} has a different author")
        if patch_id(got) != patch_id(orig, pristine):
            fail(f"backport of {subject!r} does not make the same change as the original")
    if git("rev-parse", f"{new_tip}^{{tree}}").strip() != want_tree:
        fail("the files on release/2.3 are not what the backports should produce")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
