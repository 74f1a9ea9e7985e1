import json
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


def show(rev, path, repo):
    proc = subprocess.run(
        ["git", "-c", "safe.directory=*", "-C", repo, "show", f"{rev}:{path}"],
        capture_output=True,
        env=GIT_ENV,
    )
    return proc.stdout.decode("utf-8") if proc.returncode == 0 else None


def three_way(base, ours, theirs, pick):
    merged = {}
    for key in set(base) | set(ours) | set(theirs):
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        if o == t:
            value = o
        elif o == b:
            value = t
        elif t == b:
            value = o
        elif o is None:
            value = t
        elif t is None:
            value = o
        else:
            value = pick(o, t)
        if value is not None:
            merged[key] = value
    return merged


def version_key(ver):
    return tuple(int(x) for x in ver.split("."))


def parse_reqs(text):
    if text is None:
        return {}
    return dict(line.split("==", 1) for line in text.splitlines() if line.strip())


def is_locale(path):
    return path.startswith("locales/") and path.endswith(".json")


tmp = tempfile.mkdtemp()
try:
    pristine = os.path.join(tmp, "pristine")
    subprocess.run(
        [sys.executable, "/tests/make_repo.py", pristine],
        check=True,
        env=GIT_ENV,
        stdout=subprocess.DEVNULL,
    )
    ours_tip = git("rev-parse", "refs/heads/main", repo=pristine).strip()
    theirs_tip = git("rev-parse", "refs/heads/i18n-update", repo=pristine).strip()
    base = git("merge-base", ours_tip, theirs_tip, repo=pristine).strip()
    auto_tree = git(
        "merge-tree", "--write-tree", ours_tip, theirs_tip, repo=pristine, check=False
    ).split("\n")[0]

    if (
        git("rev-parse", "-q", "--verify", "refs/heads/i18n-update", check=False).strip()
        != theirs_tip
    ):
        fail("the i18n-update branch was moved or rewritten")
    merge = git("rev-parse", "-q", "--verify", "refs/heads/main", check=False).strip()
    parents = git("rev-list", "--parents", "-n", "1", merge, check=False).split()[1:]
    if parents != [ours_tip, theirs_tip]:
        fail(
            f"main's tip is not a merge of the original main and i18n-update tips (parents: {parents})"
        )
    if git("symbolic-ref", "-q", "HEAD", check=False).strip() != "refs/heads/main":
        fail("main is not checked out")
    if git("status", "--porcelain", "--untracked-files=no").strip():
        fail("working tree or index is not clean")
    if os.path.exists(os.path.join(REPO, ".git", "MERGE_HEAD")):
        fail("a merge is still in progress")

    def paths(rev, repo):
        return set(git("ls-tree", "-r", "--name-only", rev, repo=repo).split("\n")) - {""}

    got_paths = paths(merge, REPO)
    want_paths = (
        paths(auto_tree, pristine) | paths(ours_tip, pristine) | paths(theirs_tip, pristine)
    )
    problems = []
    for path in sorted(got_paths | want_paths):
        got = show(merge, path, REPO)
        if is_locale(path):
            sides = [show(rev, path, pristine) for rev in (base, ours_tip, theirs_tip)]
            want = three_way(*[json.loads(s) if s else {} for s in sides], pick=lambda o, t: t)
            if got is None:
                problems.append(f"{path} is missing")
                continue
            try:
                data = json.loads(got)
            except ValueError as exc:
                problems.append(f"{path} is not valid JSON: {exc}")
                continue
            if data != want:
                wrong = sorted(k for k in set(data) | set(want) if data.get(k) != want.get(k))
                problems.append(f"{path}: wrong entries for {len(wrong)} keys, e.g. {wrong[:4]}")
        elif path == "requirements.txt":
            sides = [parse_reqs(show(rev, path, pristine)) for rev in (base, ours_tip, theirs_tip)]
            want = three_way(*sides, pick=lambda o, t: max(o, t, key=version_key))
            want_lines = [
                f"{n}=={v}" for n, v in sorted(want.items(), key=lambda kv: kv[0].lower())
            ]
            got_lines = [line.rstrip() for line in (got or "").splitlines() if line.strip()]
            if got_lines != want_lines:
                problems.append(f"requirements.txt is wrong: {got_lines}")
        elif got != show(auto_tree, path, pristine):
            problems.append(f"{path} does not have the merged content")
    if problems:
        fail("\n".join(problems))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
