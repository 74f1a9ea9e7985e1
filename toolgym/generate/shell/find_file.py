"""Family ``find-file``: locate the one file in a large tree that has a set of properties.

A few hundred files in nested folders (some names with spaces) get seed-chosen sizes, contents,
extensions, modification times and permission bits; the task names a combination of two to four
properties that exactly one file satisfies. For every named property there are near-miss decoys
that satisfy all the others and miss that one narrowly (one byte too small, a token with one
character changed, modified a few seconds before midnight, mode 0644 instead of 0640), so a
search that gets any single predicate wrong finds a decoy or nothing.
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from toolgym.generate.base import Family, GeneratedTask, dockerfile

ROOT = "/app/data"
DIR_WORDS = [
    "projects",
    "archive",
    "old stuff",
    "team a",
    "team b",
    "2023",
    "2024",
    "misc",
    "config",
    "logs",
    "backup",
    "shared docs",
    "src",
    "tmp",
    "reports",
    "q1",
    "q2",
    "clients",
    "drafts",
    "exports",
    "media",
    "scratch",
    "vendor",
    "notes",
]
NAME_WORDS = [
    "report",
    "notes",
    "config",
    "backup",
    "draft",
    "invoice",
    "summary",
    "data",
    "export",
    "readme",
    "todo",
    "schedule",
    "budget",
    "photo list",
    "meeting notes",
    "minutes",
    "plan",
    "inventory",
    "settings",
    "changelog",
    "contacts",
    "roster",
]
EXTENSIONS = ["txt", "log", "conf", "csv", "md", "json", "ini", "dat", "bak", "yaml", "cfg"]
FILLER = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "value",
    "entry",
    "status",
    "ok",
    "pending",
    "retry",
    "node",
    "cache",
    "sync",
    "batch",
    "window",
    "queue",
    "level",
    "mode",
    "limit",
    "offset",
    "owner",
    "group",
    "path",
    "note",
    "item",
    "total",
]
MODES = [0o644] * 8 + [0o600, 0o640, 0o664, 0o755, 0o700, 0o444, 0o660, 0o750]
TARGET_MODES = [0o600, 0o640, 0o660, 0o750, 0o700, 0o444]
PROPERTIES = ("ext", "size", "token", "day", "mode")
EPOCH_START = datetime(2022, 1, 1, tzinfo=UTC)


@dataclass
class Entry:
    """One file of the tree and the properties the task may ask about."""

    path: str  # relative to ROOT
    size: int
    token: str | None  # a reference token written into the content, if any
    mtime: int  # seconds since the epoch
    mode: int


@dataclass(frozen=True)
class Query:
    """The properties the answer must have (only those named in ``props`` count)."""

    props: tuple[str, ...]
    ext: str
    size: int
    size_op: str  # "eq": exactly ``size`` bytes, "gt": more than ``size`` bytes
    token: str
    day: datetime  # midnight UTC of the required modification day
    mode: int

    def holds(self, prop: str, entry: Entry) -> bool:
        """Whether ``entry`` has property ``prop`` (the semantics of find and grep -F)."""
        if prop == "ext":
            return entry.path.endswith("." + self.ext)
        if prop == "size":
            return entry.size == self.size if self.size_op == "eq" else entry.size > self.size
        if prop == "token":
            return entry.token == self.token
        if prop == "day":
            start = int(self.day.timestamp())
            return start < entry.mtime < start + 86_400
        return entry.mode == self.mode

    def matches(self, entry: Entry) -> bool:
        return all(self.holds(prop, entry) for prop in self.props)

    def describe(self, prop: str) -> str:
        """The instruction's bullet for one property."""
        if prop == "ext":
            return f"its name ends in `.{self.ext}` (lower case)"
        if prop == "size":
            if self.size_op == "eq":
                return f"its size is exactly {self.size} bytes"
            return f"its size is more than {self.size} bytes"
        if prop == "token":
            return f"its content contains the text `{self.token}` (case-sensitive)"
        if prop == "day":
            return f"it was last modified on {self.day:%Y-%m-%d} (a time on that day, UTC)"
        return f"its permission bits are exactly `{self.mode:04o}` (`{_symbolic(self.mode)}`)"


def _symbolic(mode: int) -> str:
    """``0640`` as ``ls -l`` shows it: ``rw-r-----``."""
    return "".join(c if mode & (1 << (8 - i)) else "-" for i, c in enumerate("rwxrwxrwx"))


def _token(rng: random.Random) -> str:
    """A reference token such as ``REF-K7Q2X9``: upper case, so filler text never forms one."""
    return "REF-" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(6))


def _near_token(rng: random.Random, token: str) -> str:
    """``token`` with one character changed."""
    index = rng.randrange(4, len(token))
    options = [c for c in string.ascii_uppercase + string.digits if c != token[index]]
    return token[:index] + rng.choice(options) + token[index + 1 :]


def _content(rng: random.Random, size: int, token: str | None) -> bytes:
    """Exactly ``size`` bytes of text lines, with a ``ref: TOKEN`` line when ``token`` is set."""
    marker = f"ref: {token}\n" if token else ""
    lines: list[str] = []
    length = 0
    while length < size - len(marker):
        line = " ".join(rng.choice(FILLER) for _ in range(rng.randint(3, 9))) + "\n"
        lines.append(line)
        length += len(line)
    filler = "".join(lines)[: size - len(marker)]
    if not marker:
        return filler.encode()
    cuts = [0] + [i + 1 for i, c in enumerate(filler) if c == "\n"]
    cut = rng.choice(cuts)
    return (filler[:cut] + marker + filler[cut:]).encode()


def _dirs(rng: random.Random) -> list[str]:
    """Nested folder paths (relative to ROOT; "" is the root itself)."""
    dirs = [""]
    wanted = rng.randint(14, 24)
    while len(dirs) < wanted:
        parent = rng.choice(dirs)
        if parent.count("/") >= 3:
            continue
        path = f"{parent}/{rng.choice(DIR_WORDS)}".lstrip("/")
        if path not in dirs:
            dirs.append(path)
    return dirs


def _name(rng: random.Random, ext: str) -> str:
    stem = rng.choice(NAME_WORDS)
    suffix = rng.choice(
        [
            "",
            "",
            f" {rng.randint(2, 9)}",
            f"_v{rng.randint(1, 5)}",
            "-final",
            f"-{rng.randint(2019, 2024)}",
            f"_{rng.randint(1, 999):03d}",
        ]
    )
    return f"{stem}{suffix}.{ext}"


def _mtime(rng: random.Random) -> int:
    """A modification time in 2022-2024, never exactly on a midnight."""
    return int(EPOCH_START.timestamp()) + rng.randrange(3 * 365) * 86_400 + rng.randint(1, 86_399)


def _violate(
    rng: random.Random, query: Query, prop: str, entry: Entry, superset: bool = False
) -> None:
    """Make ``entry`` miss ``prop`` narrowly (it keeps every other property).

    ``superset``: for the mode, add a bit rather than maybe remove one, so that a search
    with ``-perm -MODE`` (these bits at least) instead of ``-perm MODE`` finds this decoy too.
    """
    if prop == "ext":
        stem = entry.path.rsplit(".", 1)[0]
        ext = query.ext
        paths = [
            f"{stem}.{wrong}" for wrong in (f"{ext}.bak", ext.upper(), f"{ext}~", f"{ext}.old")
        ]
        entry.path = rng.choice([path for path in paths if not path.endswith("." + ext)])
    elif prop == "size":
        entry.size = query.size + rng.choice([-1, 1]) if query.size_op == "eq" else query.size
    elif prop == "token":
        entry.token = rng.choice([_near_token(rng, query.token), None])
    elif prop == "day":
        start = int(query.day.timestamp())
        entry.mtime = rng.choice([start - rng.randint(1, 90), start + 86_400 + rng.randint(1, 90)])
    else:  # one permission bit more (caught only by an exact test) or one bit less
        bits = [1 << shift for shift in range(9)]
        more = [query.mode | bit for bit in bits if not query.mode & bit]
        fewer = [query.mode & ~bit for bit in bits if query.mode & bit]
        entry.mode = rng.choice(more if superset or rng.random() < 0.5 else fewer)


def _query(rng: random.Random) -> Query:
    chosen = rng.sample(PROPERTIES, rng.randint(2, 4))
    props = tuple(p for p in PROPERTIES if p in chosen)  # in a fixed order, for the bullets
    day = EPOCH_START + timedelta(days=rng.randrange(3 * 365))
    return Query(
        props=props,
        ext=rng.choice(EXTENSIONS),
        size=rng.randint(300, 3000),
        size_op=rng.choice(["eq", "eq", "gt"]),
        token=_token(rng),
        day=day,
        mode=rng.choice(TARGET_MODES),
    )


def _satisfy(rng: random.Random, query: Query, entry: Entry) -> None:
    """Give ``entry`` every property the query names."""
    for prop in query.props:
        if prop == "ext":
            entry.path = entry.path.rsplit(".", 1)[0] + "." + query.ext
        elif prop == "size":
            entry.size = query.size if query.size_op == "eq" else query.size + rng.randint(1, 900)
        elif prop == "token":
            entry.token = query.token
        elif prop == "day":
            entry.mtime = int(query.day.timestamp()) + rng.randint(1, 86_399)
        else:
            entry.mode = query.mode


def _random_entry(rng: random.Random, dirs: list[str], query: Query) -> Entry:
    ext = query.ext if rng.random() < 0.15 else rng.choice(EXTENSIONS)
    near_day = int(query.day.timestamp()) + rng.randint(1, 86_399) - rng.randint(0, 2) * 86_400
    size = query.size + rng.randint(-40, 40) if rng.random() < 0.1 else rng.randint(60, 4000)
    return Entry(
        path=f"{rng.choice(dirs)}/{_name(rng, ext)}".lstrip("/"),
        size=size,
        token=rng.choice([None, _token(rng)]),
        mtime=near_day if rng.random() < 0.1 else _mtime(rng),
        mode=rng.choice(MODES),
    )


META_SCRIPT = """\
import json
import os

for path, mode, mtime in json.loads({meta!r}):
    os.chmod(path, mode)
    os.utime(path, (mtime, mtime))
"""


class FindFile(Family):
    name = "find-file"
    category = "find-xargs"
    description = "find the one file with a given size, content, extension, mtime and mode"

    def build(self, rng: random.Random) -> GeneratedTask:
        query = _query(rng)
        dirs = _dirs(rng)
        target = _random_entry(rng, dirs[1:], query)
        _satisfy(rng, query, target)
        decoys = []
        for prop in query.props:
            for number in range(rng.randint(1, 3)):
                decoy = _random_entry(rng, dirs, query)
                _satisfy(rng, query, decoy)
                _violate(rng, query, prop, decoy, superset=number == 0)
                decoys.append(decoy)
        entries = [target, *decoys]
        wanted = rng.randint(200, 360)
        while len(entries) < wanted:
            entry = _random_entry(rng, dirs, query)
            if not query.matches(entry) and entry.token != query.token:
                entries.append(entry)
        rng.shuffle(entries)
        used: set[str] = set()
        files: dict[str, bytes] = {}
        meta = []
        for entry in entries:
            if entry.path in used:  # a clash of random names: number this one
                stem, ext = entry.path.rsplit(".", 1)
                entry.path = f"{stem} ({len(used)}).{ext}"
            used.add(entry.path)
            files[f"tree/{entry.path}"] = _content(rng, entry.size, entry.token)
            meta.append([f"{ROOT}/{entry.path}", entry.mode, entry.mtime])
        assert [e for e in entries if query.matches(e)] == [target]
        files["set_meta.py"] = META_SCRIPT.format(meta=json.dumps(meta))
        bullets = "\n".join(f"- {query.describe(prop)}" for prop in query.props)
        instruction = f"""\
The folder `{ROOT}` holds a few hundred files in nested folders (some names contain spaces).
Exactly one regular file under it has all of these properties:

{bullets}

Several other files have all but one of them. Find the file and write its absolute path
(for example `{ROOT}/some folder/file name.txt`) on a single line to `/app/answer.txt`.
Do not change, move or touch anything under `{ROOT}`.
"""
        return GeneratedTask(
            instruction=instruction,
            files=files,
            dockerfile=dockerfile("""\
                ENV TZ=UTC
                COPY tree/ /app/data/
                COPY set_meta.py /tmp/set_meta.py
                RUN python3 /tmp/set_meta.py && rm /tmp/set_meta.py
                """),
            solution=_solution(query),
            checks=[
                {
                    "type": "text",
                    "path": "/app/answer.txt",
                    "expected": f"{ROOT}/{target.path}\n",
                    "mode": "strip",
                }
            ],
            difficulty={2: "easy", 3: "medium"}.get(len(query.props), "hard"),
            tags=["find", "grep", "stat", *query.props],
        )


def _solution(query: Query) -> str:
    """A find(1) command line with one test per property, as an agent would write it."""
    tests = []
    for prop in query.props:
        if prop == "ext":
            tests.append(f"-name '*.{query.ext}'")
        elif prop == "size":
            tests.append(f"-size {'' if query.size_op == 'eq' else '+'}{query.size}c")
        elif prop == "day":
            after = query.day + timedelta(days=1)
            tests.append(
                f"-newermt '{query.day:%Y-%m-%d} 00:00:00' ! -newermt '{after:%Y-%m-%d} 00:00:00'"
            )
        elif prop == "mode":
            tests.append(f"-perm {query.mode:o}")
    if "token" in query.props:  # last, so grep only reads the files that pass the cheap tests
        tests.append(f"-exec grep -qF -e '{query.token}' {{}} \\;")
    return f"""#!/bin/bash
set -euo pipefail
export TZ=UTC
find {ROOT} -type f {" ".join(tests)} -print > /app/answer.txt
test "$(wc -l < /app/answer.txt)" -eq 1
"""
