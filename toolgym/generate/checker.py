#!/usr/bin/env python3
"""Declarative state checks for generated tasks (copied verbatim into each task's tests/).

A generated task's ``tests/expected.json`` lists checks; this script runs them against the
agent's final filesystem and exits 0 only when all pass, printing the first failure. It uses
only the standard library, because it runs inside the sandbox with the system Python.

Check types::

    {"type": "text", "path": P, "expected": S, "mode": "exact|strip|lines|sorted_lines"}
    {"type": "number", "path": P, "expected": X, "tolerance": 1e-6}
    {"type": "tree", "root": R, "files": {relative path: sha256}}   exact set of regular files
    {"type": "mode", "path": P, "mode": "0640"}
    {"type": "absent", "path": P}
    {"type": "run", "argv": [...], "cwd": D, "stdin": S, "stdout": S, "exit_code": N,
     "timeout": T, "env": {...}}
    {"type": "git", "repo": R, "args": [...], "stdout": S}           e.g. rev-parse, log -1
"""

import hashlib
import json
import math
import os
import subprocess
import sys
from pathlib import Path


class CheckFailed(Exception):
    pass


def read_text(path):
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CheckFailed(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckFailed(f"cannot read {path}: {exc}") from None


def check_text(check):
    got = read_text(check["path"])
    want = check["expected"]
    mode = check.get("mode", "exact")
    if mode == "strip":
        got, want = got.strip(), want.strip()
    elif mode == "lines":
        got, want = got.rstrip("\n").split("\n"), want.rstrip("\n").split("\n")
    elif mode == "sorted_lines":
        got = sorted(line for line in got.split("\n") if line)
        want = sorted(line for line in want.split("\n") if line)
    if got != want:
        raise CheckFailed(f"{check['path']} does not hold the expected content")


def check_number(check):
    text = read_text(check["path"]).strip()
    try:
        got = float(text)
    except ValueError:
        raise CheckFailed(f"{check['path']} does not hold a number: {text[:40]!r}") from None
    if not math.isclose(got, check["expected"], rel_tol=0, abs_tol=check.get("tolerance", 1e-6)):
        raise CheckFailed(f"{check['path']} holds {got}, which is not the expected value")


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def check_tree(check):
    root = Path(check["root"])
    if not root.is_dir():
        raise CheckFailed(f"{root} is not a directory")
    found = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath, name)
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = sha256_file(path)
    want = check["files"]
    missing = sorted(set(want) - set(found))
    extra = sorted(set(found) - set(want))
    if missing or extra:
        raise CheckFailed(f"{root}: missing {missing[:5]}, unexpected {extra[:5]}")
    wrong = sorted(name for name in want if found[name] != want[name])
    if wrong:
        raise CheckFailed(f"{root}: wrong content in {wrong[:5]}")


def check_mode(check):
    try:
        mode = os.lstat(check["path"]).st_mode & 0o7777
    except FileNotFoundError:
        raise CheckFailed(f"{check['path']} does not exist") from None
    if mode != int(check["mode"], 8):
        raise CheckFailed(f"{check['path']} has mode {mode:04o}, expected {check['mode']}")


def check_absent(check):
    if os.path.lexists(check["path"]):
        raise CheckFailed(f"{check['path']} should not exist")


def run_command(argv, cwd, stdin, timeout, env):
    full_env = dict(os.environ, **(env or {}))
    try:
        return subprocess.run(
            argv,
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=full_env,
            errors="replace",
        )
    except FileNotFoundError:
        raise CheckFailed(f"cannot run {argv[0]}: not found") from None
    except PermissionError:
        raise CheckFailed(f"cannot run {argv[0]}: not executable") from None
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"{' '.join(argv)} did not finish within {timeout}s") from None


def check_run(check):
    result = run_command(
        check["argv"],
        check.get("cwd", "/app"),
        check.get("stdin", ""),
        check.get("timeout", 30),
        check.get("env"),
    )
    if "exit_code" in check and result.returncode != check["exit_code"]:
        raise CheckFailed(
            f"{' '.join(check['argv'])} exited {result.returncode}, expected {check['exit_code']}"
        )
    if "stdout" in check and result.stdout != check["stdout"]:
        raise CheckFailed(f"{' '.join(check['argv'])} printed unexpected output")


def check_git(check):
    argv = ["git", "-C", check["repo"], *check["args"]]
    result = run_command(argv, "/", "", 30, {"GIT_PAGER": "cat"})
    if result.returncode != 0:
        raise CheckFailed(f"git {' '.join(check['args'])} failed: {result.stderr.strip()[:200]}")
    if result.stdout != check["stdout"]:
        raise CheckFailed(f"git {' '.join(check['args'])} printed unexpected output")


CHECKS = {
    "text": check_text,
    "number": check_number,
    "tree": check_tree,
    "mode": check_mode,
    "absent": check_absent,
    "run": check_run,
    "git": check_git,
}


def main():
    spec_path = Path(
        sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("expected.json")
    )
    checks = json.loads(spec_path.read_text())["checks"]
    for number, check in enumerate(checks, 1):
        try:
            CHECKS[check["type"]](check)
        except CheckFailed as exc:
            print(f"check {number} ({check['type']}) failed: {exc}")
            return 1
    print(f"all {len(checks)} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
