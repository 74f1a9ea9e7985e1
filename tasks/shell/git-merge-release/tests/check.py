import configparser
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


def fail(message):
    print(message)
    sys.exit(1)


tmp = tempfile.mkdtemp()
try:
    # Rebuild the original repository to learn the original branch tips.
    pristine = os.path.join(tmp, "pristine")
    subprocess.run(
        ["bash", "/tests/make_repo.sh", pristine],
        check=True,
        env=GIT_ENV,
        stdout=subprocess.DEVNULL,
    )
    main_tip = git("rev-parse", "refs/heads/main", repo=pristine).strip()
    feature_tip = git("rev-parse", "refs/heads/feature/export", repo=pristine).strip()

    if (
        git("rev-parse", "--verify", "-q", "refs/heads/feature/export", check=False).strip()
        != feature_tip
    ):
        fail("feature/export was moved or rewritten")
    merge = git("rev-parse", "refs/heads/main").strip()
    parents = git("rev-list", "--parents", "-n", "1", merge).split()[1:]
    if parents != [main_tip, feature_tip]:
        fail(f"main's tip is not a merge of the original main and feature/export tips: {parents}")
    if git("symbolic-ref", "-q", "HEAD", check=False).strip() != "refs/heads/main":
        fail("main is not checked out")
    if git("status", "--porcelain", "--untracked-files=no").strip():
        fail("working tree or index is not clean")
    if os.path.exists(os.path.join(REPO, ".git", "MERGE_HEAD")):
        fail("a merge is still in progress")

    def show(path):
        return git("show", f"{merge}:{path}")

    for path in git("ls-tree", "-r", "--name-only", merge).split("\n"):
        if path and any(
            line.startswith(("<<<<<<<", ">>>>>>>", "=======")) for line in show(path).split("\n")
        ):
            fail(f"conflict markers left in {path}")

    if show("VERSION").strip() != "1.4.0":
        fail(f"VERSION is {show('VERSION').strip()!r}")

    changelog = [line.rstrip() for line in show("CHANGELOG.md").split("\n") if line.strip()]
    want_changelog = [
        "# Changelog",
        "## 1.4.0",
        "- Add median helper",
        "- Tune server settings",
        "## 1.3.1",
        "- Add CSV export",
        "## 1.3.0",
        "- Add mean helper",
        "- Read settings from settings.ini",
    ]
    if changelog != want_changelog:
        fail(f"CHANGELOG.md is wrong: {changelog}")

    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    try:
        cp.read_string(show("settings.ini"))
    except configparser.Error as exc:
        fail(f"settings.ini does not parse: {exc}")
    settings = {s: dict(cp[s]) for s in cp.sections()}
    want_settings = {
        "server": {
            "host": "0.0.0.0",
            "port": "8080",
            "timeout": "60",
            "workers": "8",
            "retries": "5",
        },
        "report": {"currency": "EUR", "page_size": "100"},
        "export": {"delimiter": ";", "encoding": "utf-8"},
    }
    if settings != want_settings:
        fail(f"settings.ini is wrong: {settings}")

    # Run the original tests of both branches (pristine copies) against the merged stats.py.
    work = os.path.join(tmp, "merged")
    os.makedirs(os.path.join(work, "tests"))
    with open(os.path.join(work, "stats.py"), "w") as fh:
        fh.write(show("stats.py"))
    open(os.path.join(work, "tests", "__init__.py"), "w").close()
    for branch, name in (
        (main_tip, "test_mean.py"),
        (main_tip, "test_median.py"),
        (feature_tip, "test_export.py"),
    ):
        with open(os.path.join(work, "tests", name), "w") as fh:
            fh.write(git("show", f"{branch}:tests/{name}", repo=pristine))
        if show(f"tests/{name}") != git("show", f"{branch}:tests/{name}", repo=pristine):
            fail(f"tests/{name} is missing or changed in the merge")
    proc = subprocess.run(
        [sys.executable, "-m", "unittest", "discover", "-s", "tests", "-t", "."],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=30,
    )
    if proc.returncode != 0 or "Ran 6 tests" not in proc.stderr:
        fail("unit tests fail on the merged code:\n" + proc.stderr[-2000:])
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
