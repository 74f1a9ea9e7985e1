"""Family ``permissions-spec``: bring every mode in a tree in line with a written policy.

The policy is an ordered list of rules (the first rule that matches a path decides its mode):
seed-chosen exceptions such as a private folder, a setgid shared folder, secret ``.env`` files,
executable ``.sh`` scripts and read-only docs, then a default for all other folders and files.
The tree contains paths where the rules overlap (a script inside the private folder, a name
that only looks like a script) and, in harder draws, folders that start with the setgid bit
set where the policy forbids it, which a plain ``chmod 750`` keeps (GNU chmod preserves a
directory's setgid bit unless the mode says otherwise). Every path's final mode is checked.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass

from toolgym.generate.base import Family, GeneratedTask, dockerfile

ROOT = "/app/project"
BASES = [(0o750, 0o640), (0o755, 0o644), (0o770, 0o660)]
PLAIN_DIRS = ["bin", "src", "src/lib", "config", "logs", "docs", "docs/img", "data"]
STEMS = [
    "readme",
    "notes",
    "build",
    "deploy",
    "setup",
    "backup",
    "report",
    "main",
    "util",
    "settings",
    "todo",
    "run tests",
    "clean up",
    "sync data",
]
EXTENSIONS = ["txt", "md", "py", "conf", "log", "csv", "sh", "sh", "env"]
DECOYS = [
    "deploy.sh.bak",
    "run.sh.orig",
    "notes on .sh files.txt",
    "app.env.example",
    "env.txt",
    "setup.SH",
]
FILE_MODES = [0o644, 0o666, 0o600, 0o640, 0o755, 0o777, 0o444, 0o664, 0o700]
DIR_MODES = [0o755, 0o777, 0o700, 0o750, 0o775, 0o711, 0o770]


@dataclass(frozen=True)
class Rule:
    """One policy rule: which paths it covers and the mode it gives them."""

    name: str
    text: str  # the instruction's wording
    applies: Callable[[str, bool], bool]  # (path relative to ROOT, is a directory)
    mode: Callable[[bool], int]  # is a directory -> mode


def _under(folder: str) -> Callable[[str], bool]:
    return lambda path: path == folder or path.startswith(folder + "/")


def _rules(rng: random.Random, dir_mode: int, file_mode: int) -> list[Rule]:
    """The seed's policy: a random subset of the exceptions, in precedence order, then the
    default."""
    in_private, in_shared, in_docs = _under("private"), _under("shared"), _under("docs")
    exec_mode = dir_mode
    optional = [
        Rule(
            "private",
            "`private/` itself and every folder below it: `0700`; every file below it: `0600`.",
            lambda p, d: in_private(p),
            lambda d: 0o700 if d else 0o600,
        ),
        Rule(
            "shared",
            "`shared/` itself and every folder below it: `2770` (setgid, so new "
            "files inherit the group); every file below it: `0660`.",
            lambda p, d: in_shared(p),
            lambda d: 0o2770 if d else 0o660,
        ),
        Rule(
            "env",
            "every file whose name ends in `.env` (case-sensitive): `0600`.",
            lambda p, d: not d and p.endswith(".env"),
            lambda d: 0o600,
        ),
        Rule(
            "scripts",
            f"every file whose name ends in `.sh` (case-sensitive): `{exec_mode:04o}`.",
            lambda p, d: not d and p.endswith(".sh"),
            lambda d: exec_mode,
        ),
        Rule(
            "docs",
            "every file below `docs/`: `0444` (read-only).",
            lambda p, d: not d and in_docs(p),
            lambda d: 0o444,
        ),
    ]
    chosen = set(rng.sample(range(len(optional)), rng.randint(1, 4)))
    default = Rule(
        "default",
        f"every other folder (including `{ROOT}` itself): "
        f"`{dir_mode:04o}`; every other file: `{file_mode:04o}`.",
        lambda p, d: True,
        lambda d: dir_mode if d else file_mode,
    )
    return [rule for i, rule in enumerate(optional) if i in chosen] + [default]


def _target(rules: list[Rule], path: str, is_dir: bool) -> int:
    """The mode the first matching rule gives ``path``."""
    return next(rule.mode(is_dir) for rule in rules if rule.applies(path, is_dir))


def _tree(rng: random.Random, rules: list[Rule]) -> tuple[list[str], dict[str, bytes]]:
    """Folders and files: the plain ones, plus those the chosen rules are about."""
    names = {rule.name for rule in rules}
    dirs = ["", *rng.sample(PLAIN_DIRS, rng.randint(4, len(PLAIN_DIRS)))]
    if "src/lib" in dirs and "src" not in dirs:
        dirs.append("src")
    if "docs/img" in dirs and "docs" not in dirs:
        dirs.append("docs")
    if "docs" in names and "docs" not in dirs:
        dirs.append("docs")
    if "private" in names or rng.random() < 0.3:
        dirs += ["private", "private/keys"]
    if "shared" in names or rng.random() < 0.3:
        dirs += ["shared", "shared/uploads", f"shared/uploads/{rng.randint(2021, 2024)}"]
    dirs.sort()
    files: dict[str, bytes] = {}
    for folder in dirs:
        for _ in range(rng.randint(1, 4)):
            name = f"{rng.choice(STEMS)}.{rng.choice(EXTENSIONS)}"
            files[f"{folder}/{name}".lstrip("/")] = _content(rng, name)
    for name in rng.sample(DECOYS, 3):
        files[f"{rng.choice(dirs)}/{name}".lstrip("/")] = _content(rng, name)
    for folder in ("private", "shared", "docs"):  # rules that overlap inside these folders
        if folder in dirs:
            files[f"{folder}/{rng.choice(['sync', 'rotate'])}.sh"] = _content(rng, "x.sh")
            files[f"{folder}/{rng.choice(['local', 'prod'])}.env"] = _content(rng, "x.env")
    return dirs, files


def _content(rng: random.Random, name: str) -> bytes:
    if name.endswith(".sh"):
        return f"#!/bin/sh\necho 'step {rng.randint(1, 99)}'\n".encode()
    if name.endswith(".env"):
        return f"TOKEN={rng.getrandbits(64):016x}\n".encode()
    return f"{name}: revision {rng.randint(1, 500)}\n".encode()


def _initial(rng: random.Random, target: int, is_dir: bool, setgid_trap: bool) -> int:
    """A starting mode, usually wrong (and, with the trap, sometimes setgid where it must not
    be)."""
    if is_dir and setgid_trap and not target & 0o2000 and rng.random() < 0.5:
        return rng.choice([0o2750, 0o2755, 0o2770, target | 0o2000])
    if rng.random() < 0.2:
        return target
    pool = DIR_MODES if is_dir else FILE_MODES
    return rng.choice([mode for mode in pool if mode != target])


META_SCRIPT = """\
import json
import os

for path, mode in json.loads({meta!r}):
    os.chmod(path, mode)
"""


class PermissionsSpec(Family):
    name = "permissions-spec"
    category = "files-and-permissions"
    description = "set every folder's and file's mode from an ordered permission policy"

    def build(self, rng: random.Random) -> GeneratedTask:
        dir_mode, file_mode = rng.choice(BASES)
        rules = _rules(rng, dir_mode, file_mode)
        dirs, files = _tree(rng, rules)
        setgid_trap = rng.random() < 0.5
        paths = [(d, True) for d in dirs] + [(f, False) for f in sorted(files)]
        targets = {path: _target(rules, path, is_dir) for path, is_dir in paths}
        while True:  # the starting state must break the policy somewhere
            initial = {p: _initial(rng, targets[p], is_dir, setgid_trap) for p, is_dir in paths}
            if sum(initial[p] != targets[p] for p, _ in paths) >= len(paths) // 2:
                break
        full = {p: f"{ROOT}/{p}".rstrip("/") for p, _ in paths}
        meta = [[full[p], initial[p]] for p, _ in paths]
        policy = "\n".join(f"{n}. {rule.text}" for n, rule in enumerate(rules, 1))
        instruction = f"""\
Set the permission bits of every folder and file under `{ROOT}` (including `{ROOT}`
itself) according to this policy. The rules are listed in order of precedence: for each path,
the first rule that matches it decides its mode, and later rules do not apply to it.

{policy}

Modes are in octal and are exact: a folder or file must end up with exactly this mode, with no
other bits (setuid, setgid, sticky) set unless the rule gives them. Do not create, delete,
rename or modify any file. Paths are relative to `{ROOT}`; some names contain spaces.
"""
        checks: list[dict[str, object]] = [
            {"type": "mode", "path": full[p], "mode": f"{targets[p]:04o}"} for p, _ in paths
        ]
        checks.append(
            {
                "type": "tree",
                "root": ROOT,
                "files": {p: hashlib.sha256(c).hexdigest() for p, c in files.items()},
            }
        )
        exceptions = len(rules) - 1  # the default rule is always there
        score = (exceptions >= 3) + (exceptions == 4) + setgid_trap
        return GeneratedTask(
            instruction=instruction,
            files={
                **{f"project/{p}": c for p, c in files.items()},
                "set_modes.py": META_SCRIPT.format(meta=json.dumps(meta)),
            },
            dockerfile=dockerfile(f"""\
                COPY project/ {ROOT}/
                COPY set_modes.py /tmp/set_modes.py
                RUN python3 /tmp/set_modes.py && rm /tmp/set_modes.py
                """),
            solution=_solution(rules),
            checks=checks,
            difficulty=["easy", "medium", "hard", "hard"][score],
            tags=[
                "chmod",
                "find",
                "permissions",
                *(r.name for r in rules[:-1]),
                *(["setgid-trap"] if setgid_trap else []),
            ],
        )


def _solution(rules: list[Rule]) -> str:
    """One find(1) pass per rule, from the lowest precedence to the highest, so that the last
    pass to touch a path is the first rule that matches it.

    ``00750``-style modes (a leading 00) make GNU chmod clear a folder's setgid bit too.
    """
    commands = []
    for rule in reversed(rules):
        dir_mode, file_mode = rule.mode(True), rule.mode(False)
        if rule.name == "default":
            commands += [
                f"find {ROOT} -type d -exec chmod 0{dir_mode:04o} {{}} +",
                f"find {ROOT} -type f -exec chmod 0{file_mode:04o} {{}} +",
            ]
        elif rule.name in ("private", "shared"):
            folder = f"{ROOT}/{rule.name}"
            commands += [
                f"find {folder} -type d -exec chmod 0{dir_mode:04o} {{}} +",
                f"find {folder} -type f -exec chmod 0{file_mode:04o} {{}} +",
            ]
        elif rule.name == "docs":
            commands.append(f"find {ROOT}/docs -type f -exec chmod 0{file_mode:04o} {{}} +")
        else:
            suffix = ".sh" if rule.name == "scripts" else ".env"
            commands.append(
                f"find {ROOT} -type f -name '*{suffix}' -exec chmod 0{file_mode:04o} {{}} +"
            )
    body = "\n".join(commands)
    return f"#!/bin/bash\nset -euo pipefail\n{body}\n"
