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


def git(*args, repo=REPO, check=True):
    proc = subprocess.run(
        ["git", "-c", "safe.directory=*", "-C", repo, *args],
        capture_output=True,
        text=True,
        env=GIT_ENV,
    )
    if check and proc.returncode != 0:
        fail(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def fail(message):
    print(message)
    sys.exit(1)


tmp = tempfile.mkdtemp()
try:
    pristine = os.path.join(tmp, "pristine")
    subprocess.run(
        [sys.executable, "/tests/make_repo.py", pristine],
        check=True,
        env=GIT_ENV,
        stdout=subprocess.DEVNULL,
    )
    # In the pristine rebuild, find the expected commits by their position in the story.
    reflog = git("reflog", "--format=%H %gs", "main", repo=pristine).splitlines()
    want_main = next(
        line.split()[0] for line in reflog if line.endswith("commit: Add VAT handling")
    )
    lost = git("fsck", "--no-reflogs", "--unreachable", repo=pristine).splitlines()
    commits = [line.split()[2] for line in lost if line.startswith("unreachable commit ")]
    info = {c: git("log", "-1", "--format=%ct %s", c, repo=pristine).split(" ", 1) for c in commits}
    parser = sorted(
        (int(ts), c)
        for c, (ts, subject) in info.items()
        if subject == "parser: handle quoted fields"
    )
    if len(parser) != 2:
        fail("internal error: expected two versions of the parser tip")
    want_parser = parser[-1][1]
    want_stash = next(c for c, (_, subject) in info.items() if subject == "On main: tune config")

    problems = []
    got_main = git("rev-parse", "-q", "--verify", "refs/heads/main", check=False)
    if got_main != want_main:
        problems.append(
            f"main points at {got_main[:12]!r}, not at the lost 'Add VAT handling' commit"
        )
    got_parser = git("rev-parse", "-q", "--verify", "refs/heads/feature/parser", check=False)
    if got_parser != want_parser:
        problems.append(
            f"feature/parser points at {got_parser[:12]!r}, not at the amended branch tip"
        )
    got_stash = git("rev-parse", "-q", "--verify", "refs/tags/lost-stash^{commit}", check=False)
    if got_stash != want_stash:
        problems.append(f"tag lost-stash points at {got_stash[:12]!r}, not at the dropped stash")
    if git("symbolic-ref", "-q", "HEAD", check=False) != "refs/heads/main":
        problems.append("main is not checked out")
    elif git("status", "--porcelain", check=False):
        problems.append("the working tree is not clean")
    if problems:
        fail("\n".join(problems))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
