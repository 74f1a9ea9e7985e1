"""Family ``git-ops``: perform one history operation in a generated git repository.

The generator plans a small project history (files, line edits, commit subjects, authors, dates)
and a build script replays it with ``git`` with fixed author and committer dates, so the
repository, commit ids included, is the same on every build. One seed-chosen operation is asked
for: branch at the commit that added a given line, revert the commit with a given subject, tag
the n-th commit that changed a file, or cherry-pick one commit from a feature branch. The history
is planned so that the operation applies without conflicts, and the checks read the result
through ``git`` (subjects, commit counts, file contents at a ref), never through commit ids.
"""

from __future__ import annotations

import json
import random
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from toolgym.generate.base import Family, GeneratedTask, dockerfile

REPO = "/app/repo"
AUTHORS = [
    ("Alice Moreau", "alice@example.com"),
    ("Bram de Vries", "bram@example.com"),
    ("Chidi Okafor", "chidi@example.com"),
    ("Dana Kowalski", "dana@example.com"),
]
VERBS = [
    "Tune",
    "Raise",
    "Lower",
    "Document",
    "Fix",
    "Refactor",
    "Add",
    "Drop",
    "Rework",
    "Clarify",
    "Adjust",
    "Bump",
    "Simplify",
    "Harden",
]
NOUNS = [
    "retry limits",
    "cache settings",
    "deploy steps",
    "worker pool",
    "timeouts",
    "batch sizes",
    "logging",
    "queue depth",
    "usage notes",
    "defaults",
    "health checks",
    "startup order",
    "rate limits",
    "error messages",
    "backup rotation",
]
KEYS_A = ["cache", "retry", "pool", "queue", "timeout", "batch", "worker", "log", "backup"]
KEYS_B = ["size", "limit", "count", "level", "delay", "ttl", "interval", "depth"]
WORDS = ["restart", "flush", "rotate", "verify", "compress", "sync", "warm", "drain"]
HEADERS = {
    "README.md": ["# Inventory service", ""],
    "config/settings.ini": ["[main]"],
    "config/legacy/settings.ini": ["[legacy]"],
    "src/app.py": ['"""Application defaults."""'],
    "scripts/deploy.sh": ["#!/bin/sh", "set -e"],
    "docs/usage.md": ["# Usage", ""],
}
START = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


@dataclass
class Commit:
    """One planned commit and the state of its branch's files after it."""

    branch: str
    subject: str
    author: tuple[str, str]
    date: str
    changes: dict[str, str]  # path -> full new content
    added: list[tuple[str, str]]  # (path, line) pairs this commit adds
    removed: list[tuple[str, str]]
    tree: dict[str, tuple[str, ...]]


@dataclass
class History:
    """A planned repository history, built commit by commit with unique lines and subjects."""

    rng: random.Random
    commits: list[Commit] = field(default_factory=list)
    trees: dict[str, dict[str, list[str]]] = field(default_factory=lambda: {"main": {}})
    headers: dict[str, list[str]] = field(default_factory=lambda: dict(HEADERS))
    used: list[str] = field(default_factory=lambda: [h for hs in HEADERS.values() for h in hs])
    subjects: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.subjects = [f"{v} {n}" for v in VERBS for n in NOUNS]
        self.rng.shuffle(self.subjects)

    def _fresh(self, make: Callable[[], str]) -> str:
        """A line no other line contains and that contains no other line (so ``git log -S``
        and ``grep -F`` on it find only its own additions and removals)."""
        for _ in range(1000):
            line = make()
            if line and all(line not in old and old not in line for old in self.used if old):
                self.used.append(line)
                return line
        raise RuntimeError("ran out of unique lines")

    def new_line(self, path: str, key: str | None = None) -> str:
        """A line that fits ``path``'s kind of file (``key``: keep this setting's name)."""
        rng = self.rng

        def make() -> str:
            name = key or f"{rng.choice(KEYS_A)}_{rng.choice(KEYS_B)}"
            if path.endswith(".ini"):
                return f"{name} = {rng.randint(2, 9999)}"
            if path.endswith(".py"):
                return f"{name.upper()} = {rng.randint(2, 9999)}"
            if path.endswith(".sh"):
                return f'echo "step {rng.randint(10, 999)}: {rng.choice(WORDS)} {name}"'
            return f"- Run `{rng.choice(WORDS)}-{name}` after {rng.randint(2, 999)} requests."

        return self._fresh(make)

    def body(self, branch: str, path: str) -> list[int]:
        """Indices of the lines of ``path`` that edits may touch (not its header)."""
        return list(range(len(self.headers[path]), len(self.trees[branch][path])))

    def edit(self, branch: str, path: str, kind: str) -> tuple[list[str], list[str]]:
        """Apply one edit to ``path`` on ``branch``; the lines it added and removed."""
        lines = self.trees[branch].setdefault(path, [])
        if kind == "create":
            new = [self.new_line(path) for _ in range(self.rng.randint(2, 4))]
            lines[:] = self.headers[path] + new
            return new, []
        body = self.body(branch, path)
        if kind == "delete" and len(body) > 2:
            index = self.rng.choice(body)
            return [], [lines.pop(index)]
        if kind in ("replace", "delete") and body:
            index = self.rng.choice(body)
            old = lines[index]
            key = old.split(" = ")[0].lower() if " = " in old else None
            lines[index] = self.new_line(path, key)
            return [lines[index]], [old]
        line = self.new_line(path)
        lines.insert(self.rng.randint(len(self.headers[path]), len(lines)), line)
        return [line], []

    def commit(self, branch: str, edits: dict[str, str]) -> Commit:
        """Record a commit on ``branch`` that applies ``edits`` (path -> edit kind)."""
        if branch not in self.trees:  # a new branch starts at main's current state
            self.trees[branch] = {p: list(ls) for p, ls in self.trees["main"].items()}
        added: list[tuple[str, str]] = []
        removed: list[tuple[str, str]] = []
        for path, kind in sorted(edits.items()):
            plus, minus = self.edit(branch, path, kind)
            added += [(path, line) for line in plus]
            removed += [(path, line) for line in minus]
        tree = {p: tuple(ls) for p, ls in self.trees[branch].items()}
        when = START + timedelta(
            hours=7 * len(self.commits) + self.rng.randint(0, 5), minutes=self.rng.randint(0, 59)
        )
        commit = Commit(
            branch,
            self.subjects.pop(),
            self.rng.choice(AUTHORS),
            when.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            {p: _text(tree[p]) for p in edits},
            added,
            removed,
            tree,
        )
        self.commits.append(commit)
        return commit

    def random_commit(self, branch: str, avoid: set[str] = frozenset()) -> Commit:
        """A commit that edits one or two existing files (never those in ``avoid``)."""
        paths = sorted(p for p in self.trees[branch] if p not in avoid)
        chosen = self.rng.sample(paths, min(len(paths), self.rng.choice([1, 1, 2])))
        kinds = ["add", "add", "replace", "replace", "delete"]
        return self.commit(branch, {p: self.rng.choice(kinds) for p in chosen})

    def on(self, branch: str) -> list[Commit]:
        return [c for c in self.commits if c.branch == branch]


def _text(lines: tuple[str, ...] | list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _start(history: History) -> None:
    """The root commit and the files the project starts with."""
    history.commit(
        "main",
        {
            "README.md": "create",
            "config/settings.ini": "create",
            "src/app.py": "create",
            "scripts/deploy.sh": "create",
        },
    )


def _grow(history: History, count: int, avoid: set[str] = frozenset()) -> None:
    """``count`` more commits on main; later files appear along the way."""
    for _ in range(count):
        missing = sorted(set(HEADERS) - set(history.trees["main"]) - avoid)
        if missing and history.rng.random() < 0.2:
            history.commit("main", {history.rng.choice(missing): "create"})
        else:
            history.random_commit("main", avoid)


def _git(args: list[str], stdout: str) -> dict[str, object]:
    return {"type": "git", "repo": REPO, "args": args, "stdout": stdout}


def _main_unchanged(history: History) -> list[dict[str, object]]:
    main = history.on("main")
    return [
        _git(["rev-list", "--count", "main"], f"{len(main)}\n"),
        _git(["log", "-1", "--format=%s", "main"], f"{main[-1].subject}\n"),
    ]


@dataclass
class Operation:
    """What the agent must do, how to check it, and a reference solution."""

    text: str
    checks: list[dict[str, object]]
    solution: str
    difficulty: str


def _branch_at_line(rng: random.Random) -> tuple[History, Operation]:
    history = History(rng)
    _start(history)
    _grow(history, rng.randint(8, 14))
    main = history.on("main")
    final = history.trees["main"]
    candidates = [
        (i, path, line)
        for i, c in enumerate(main[1:], 1)
        for path, line in c.added
        if path in final
    ]
    surviving = [c for c in candidates if c[2] in final[c[1]]]
    changed = [c for c in candidates if c[2] not in final[c[1]]]
    pool = changed if changed and (rng.random() < 0.5 or not surviving) else surviving
    index, path, line = rng.choice(pool)
    name = f"investigate/{rng.choice(WORDS)}-{rng.randint(10, 99)}"
    note = "" if pool is surviving else "The line is no longer in the current version of the file. "
    return history, Operation(
        text=f"Create a branch named `{name}` that points at the commit on `main` that added "
        f"this exact line to `{path}`:\n\n```\n{line}\n```\n\n{note}"
        "Do not change `main` or any existing commit.",
        checks=[
            _git(["log", "-1", "--format=%s", name], f"{main[index].subject}\n"),
            _git(["rev-list", "--count", name], f"{index + 1}\n"),
            *_main_unchanged(history),
        ],
        solution=f"commit=$(git log main --reverse --format=%H -S{shlex.quote(line)} -- "
        f'{shlex.quote(path)} | sed -n 1p)\ngit branch {shlex.quote(name)} "$commit"',
        difficulty="medium" if pool is surviving else "hard",
    )


def _revert(rng: random.Random) -> tuple[History, Operation]:
    history = History(rng)
    _start(history)
    before, after = rng.randint(2, 8), rng.randint(0, 6)
    _grow(history, before)
    path = rng.choice(["config/settings.ini", "src/app.py", "scripts/deploy.sh"])
    target = history.commit("main", {path: rng.choice(["add", "replace"])})
    parent = history.on("main")[-2]
    _grow(history, after, avoid={path})
    main = history.on("main")
    other = rng.choice(sorted(p for p in history.trees["main"] if p != path))
    return history, Operation(
        text=f"Revert the commit on `main` whose subject is `{target.subject}`: add a new commit "
        "on top of `main` that undoes its change, with git's default revert message. Do not "
        "rewrite or remove any existing commit.",
        checks=[
            _git(["rev-list", "--count", "main"], f"{len(main) + 1}\n"),
            _git(["log", "-1", "--format=%s", "main"], f'Revert "{target.subject}"\n'),
            _git(["log", "-1", "--format=%s", "main~1"], f"{main[-1].subject}\n"),
            _git(["show", f"main:{path}"], _text(parent.tree[path])),
            _git(["show", f"main:{other}"], _text(history.trees["main"][other])),
        ],
        solution=f"commit=$(git log main --format='%H %s' | awk -v s={shlex.quote(target.subject)} "
        "'substr($0, 42) == s { print $1 }')\ngit revert --no-edit \"$commit\"",
        difficulty="easy",
    )


def _tag_nth(rng: random.Random) -> tuple[History, Operation]:
    path = rng.choice(["config/settings.ini", "src/app.py", "README.md"])
    while True:  # plan until the file has at least three commits to count
        history = History(rng)
        _start(history)
        for _ in range(rng.randint(8, 14)):
            if rng.random() < 0.35:
                history.commit("main", {path: rng.choice(["add", "replace", "delete"])})
            else:
                _grow(history, 1)
        touching = [i for i, c in enumerate(history.on("main")) if path in c.changes]
        if len(touching) >= 3:
            break
    main = history.on("main")
    side = f"experiment/{rng.choice(WORDS)}"
    history.commit(side, {path: "add"})  # decoy: touches the file, but not on main
    if rng.random() < 0.5:
        history.random_commit(side)
    nth = rng.randint(2, len(touching))
    index = touching[nth - 1]
    tag = f"v{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
    message = f"Release {tag[1:]}"
    ordinal = {1: "st", 2: "nd", 3: "rd"}.get(nth if nth < 20 else nth % 10, "th")
    return history, Operation(
        text=f"Create an annotated tag `{tag}` with the message `{message}` on the {nth}{ordinal} "
        f"commit on `main` that changed the file `{path}`, counting from the oldest (the commit "
        "that created the file is the 1st). Commits on other branches do not count. Do not "
        "change any branch.",
        checks=[
            _git(
                ["for-each-ref", "--format=%(objecttype) %(contents:subject)", f"refs/tags/{tag}"],
                f"tag {message}\n",
            ),
            _git(["log", "-1", "--format=%s", tag], f"{main[index].subject}\n"),
            _git(["rev-list", "--count", tag], f"{index + 1}\n"),
            *_main_unchanged(history),
        ],
        solution=f"commit=$(git log main --reverse --format=%H -- {path} | sed -n {nth}p)\n"
        f'git tag -a {tag} -m {shlex.quote(message)} "$commit"',
        difficulty="medium",
    )


def _cherry_pick(rng: random.Random) -> tuple[History, Operation]:
    history = History(rng)
    _start(history)
    _grow(history, rng.randint(2, 6))
    path = rng.choice(["config/settings.ini", "src/app.py", "scripts/deploy.sh"])
    branch = f"feature/{rng.choice(WORDS)}-{rng.choice(KEYS_A)}"
    count = rng.randint(2, 4)
    chosen = rng.randrange(count)
    for i in range(count):
        if i == chosen:
            target = history.commit(branch, {path: rng.choice(["add", "replace"])})
        else:
            plugin = f"src/plugins/{rng.choice(WORDS)}_{i}.py"
            history.headers[plugin] = ['"""A plugin."""']
            history.commit(branch, {plugin: "create"})
    _grow(history, rng.randint(1, 5), avoid={path})
    main, feature = history.on("main"), history.on(branch)
    files = "".join(f"{p}\n" for p in sorted(history.trees["main"]))
    return history, Operation(
        text=f"The branch `{branch}` has {count} commits that are not on `main`. Bring only the "
        f"change of its commit with the subject `{target.subject}` onto `main`, as one new "
        "commit on top of `main` with the same subject and author (a cherry-pick). Do not "
        f"merge, do not bring the other commits, and do not change `{branch}`.",
        checks=[
            _git(["rev-list", "--count", "main"], f"{len(main) + 1}\n"),
            _git(
                ["log", "-1", "--format=%s|%an", "main"], f"{target.subject}|{target.author[0]}\n"
            ),
            _git(["log", "-1", "--format=%s", "main~1"], f"{main[-1].subject}\n"),
            _git(["show", f"main:{path}"], _text(target.tree[path])),
            _git(["ls-tree", "-r", "--name-only", "main"], files),
            _git(["rev-list", "--count", branch], f"{_count_on(history, branch)}\n"),
            _git(["log", "-1", "--format=%s", branch], f"{feature[-1].subject}\n"),
        ],
        solution=f"commit=$(git log {branch} --format='%H %s' | awk "
        f"-v s={shlex.quote(target.subject)} 'substr($0, 42) == s {{ print $1 }}')\n"
        'git checkout -q main\ngit cherry-pick "$commit"',
        difficulty="medium",
    )


def _count_on(history: History, branch: str) -> int:
    """Commits reachable from ``branch``: main's up to where it forked, plus its own."""
    first = history.commits.index(history.on(branch)[0])
    return sum(1 for c in history.commits[:first] if c.branch == "main") + len(history.on(branch))


OPERATIONS: tuple[Callable[[random.Random], tuple[History, Operation]], ...] = (
    _branch_at_line,
    _revert,
    _tag_nth,
    _cherry_pick,
)

BUILD_SCRIPT = '''\
"""Replay the planned history with fixed identities and dates (deterministic commit ids)."""
import json
import os
import subprocess
from pathlib import Path

REPO = Path({repo!r})
COMMITS = json.loads({commits!r})


def git(*args, env=None):
    subprocess.run(["git", *args], cwd=REPO, check=True, env=env, stdout=subprocess.DEVNULL)


REPO.mkdir(parents=True)
git("-c", "init.defaultBranch=main", "init", "-q")
branches, current = {{"main"}}, "main"
for commit in COMMITS:
    if commit["branch"] != current:
        new = commit["branch"] not in branches
        git("checkout", "-q", *(["-b"] if new else []), commit["branch"])
        branches.add(commit["branch"])
        current = commit["branch"]
    for path, text in commit["changes"].items():
        (REPO / path).parent.mkdir(parents=True, exist_ok=True)
        (REPO / path).write_text(text)
    git("add", "-A")
    name, email = commit["author"]
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email,
               GIT_AUTHOR_DATE=commit["date"], GIT_COMMITTER_DATE=commit["date"])
    git("commit", "-q", "-m", commit["subject"], env=env)
git("checkout", "-q", "main")
'''


class GitOps(Family):
    name = "git-ops"
    category = "git"
    description = "branch at a line's commit, revert by subject, tag the nth change, cherry-pick"

    def build(self, rng: random.Random) -> GeneratedTask:
        make = rng.choice(OPERATIONS)
        history, operation = make(rng)
        # Feature branches end where main continues; the build script replays commits in order.
        commits = [
            {
                "branch": c.branch,
                "subject": c.subject,
                "author": list(c.author),
                "date": c.date,
                "changes": c.changes,
            }
            for c in history.commits
        ]
        script = BUILD_SCRIPT.format(repo=REPO, commits=json.dumps(commits))
        instruction = f"""\
`{REPO}` is a git repository; `main` is checked out and the working tree is clean. A git
identity is configured, so you can commit.

{operation.text}
"""
        return GeneratedTask(
            instruction=instruction,
            files={"make_repo.py": script},
            dockerfile=dockerfile(
                """\
                RUN git config --global user.name "Repo Maintainer" \\
                    && git config --global user.email "maintainer@example.com" \\
                    && git config --global --add safe.directory '*'
                COPY make_repo.py /tmp/make_repo.py
                RUN python3 /tmp/make_repo.py && rm /tmp/make_repo.py
                """,
                packages=("git",),
            ),
            solution=f"#!/bin/bash\nset -euo pipefail\ncd {REPO}\n{operation.solution}\n",
            checks=operation.checks,
            difficulty=operation.difficulty,
            tags=["git", make.__name__.strip("_").replace("_", "-")],
        )
