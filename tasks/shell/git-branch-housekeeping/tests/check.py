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
        sys.exit(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def refs(prefix, repo=REPO):
    out = git("for-each-ref", "--format=%(refname) %(objectname)", prefix, repo=repo)
    return dict(line.split(" ", 1) for line in out.splitlines() if line)


def fail(message):
    print(message)
    sys.exit(1)


if not os.path.isdir(os.path.join(REPO, ".git")):
    fail("/app/repo is not a git repository any more")

tmp = tempfile.mkdtemp()
try:
    pristine = os.path.join(tmp, "pristine")
    subprocess.run(
        [sys.executable, "/tests/make_repo.py", pristine],
        check=True,
        env=GIT_ENV,
        stdout=subprocess.DEVNULL,
    )
    heads = {
        name.removeprefix("refs/heads/"): sha
        for name, sha in refs("refs/heads/", repo=pristine).items()
    }
    main_tip = heads["main"]

    expected = {}
    for name, sha in heads.items():
        merged = (
            subprocess.run(
                ["git", "-C", pristine, "merge-base", "--is-ancestor", sha, main_tip],
                env=GIT_ENV,
            ).returncode
            == 0
        )
        if merged and not (name in ("main", "develop") or name.startswith("release/")):
            continue
        if name.startswith("feat-"):
            name = "feature/" + name.removeprefix("feat-")
        expected[name] = sha
    expected["develop"] = main_tip
    expected["release/1.1"] = git("rev-parse", "v1.1^{commit}", repo=pristine).strip()

    got = {name.removeprefix("refs/heads/"): sha for name, sha in refs("refs/heads/").items()}
    problems = []
    for name in sorted(set(expected) | set(got)):
        if name not in got:
            problems.append(f"branch {name} is missing")
        elif name not in expected:
            problems.append(f"branch {name} should not exist")
        elif got[name] != expected[name]:
            problems.append(
                f"branch {name} points at {got[name][:10]}, expected {expected[name][:10]}"
            )
    if refs("refs/tags/") != refs("refs/tags/", repo=pristine):
        problems.append("the tags were changed")
    if git("symbolic-ref", "-q", "HEAD", check=False).strip() != "refs/heads/main":
        problems.append("main is not checked out")
    elif git("status", "--porcelain").strip():
        problems.append("the working tree is not clean")
    if problems:
        fail("\n".join(problems))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
