"""``SqlEnv`` (``toolgym/Sql-v0``): answer a question about a database, or change it, with SQL.

This module is also the template for new tool environments. A :class:`ToolEnv` subclass
declares its tools as typed ``@tool`` methods (the JSON schemas come from the type hints and
the Google-style docstrings), builds an episode's state from the task in ``_begin_episode``,
releases it in ``_end_episode`` and grades in ``_grade``; tool-call parsing, the step budget,
the agent timeout, truncation, sanitising and trajectories come from the base class.

**Tasks** are Harbor-style directories with ``[toolgym] environment = "sql"`` in task.toml::

    task.toml           [sql] kind = "answer" (a question) or "change" (a change to make)
    instruction.md      the question, or the change to make
    environment/        schema.sql, then every other *.sql in name order: run once per
                        process to build the database image (seeded generators in SQL welcome)
    tests/expected.json answer tasks: {"answers": [...], "tolerance": 1e-6, "ordered": true}
    tests/checks.toml   change tasks: [[check]] name, sql, expect = [[row], ...] or
                        expect_error = "text"; tables = [...] that must still be real tables
    solution/           solution.sql (the reference SQL) and, for answer tasks, answer.txt

**Tools**: ``query(sql)`` runs SQL and shows a bounded text table; ``answer(value)`` ends an
answer task, ``submit()`` ends a change task. Both ending tools exist in every task (one tool
schema for the whole suite, which batched training wants); the task's ``kind`` says which one
is graded and the instruction tells the agent. Ending an answer task with ``submit`` gives no
answer (reward 0); ending a change task with ``answer`` grades the database as ``submit`` does.

**Reward**: an answer is compared with every accepted answer of ``tests/expected.json``
(numbers numerically within ``tolerance``; text case- and space-insensitively; a list answer
item by item, in order or as a set); the reward is 1 on a match, else 0. A change task's final
database (uncommitted work rolled back, temporary objects dropped) is opened in a fresh
connection and every hidden check must hold. ``info["verifier"]`` holds the details.

**Safety**: the agent's SQL runs in this process, inside SQLite only, on a sealed in-memory
database (:mod:`toolgym.sealed_sqlite`): no file is read or written (``ATTACH``/``DETACH``,
and so ``VACUUM INTO``, are denied by the authorizer and by ``SQLITE_LIMIT_ATTACHED = 0``),
no extension can be loaded, PRAGMAs are allowlisted (no directory, storage or schema-writing
pragma), a progress handler stops a statement at the per-call deadline, and the database size,
value size, rows shown and characters returned are capped. Each episode deserialises its own
copy of the task's image, so episodes share nothing. Grading reads a fresh connection made from
the final image, so temporary tables or views that shadow real ones are gone, and runs each
check inside a savepoint that is rolled back. The agent never sees ``tests/`` or ``solution/``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
import tomllib
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from toolgym.envs.base import ToolEnv, ToolOutput

from toolgym.sealed_sqlite import SealedDatabase, SqlLimits, describe_results
from toolgym.task import SCAFFOLD_MARKER, Task, TaskLoadError, _format_pydantic_error
from toolgym.toolcalls import ToolCall
from toolgym.tools import tool
from toolgym.verifier import VerifierResult

SCHEMA_FILE = "schema.sql"
ANSWER_KEY_FILE = Path("tests") / "expected.json"
CHECKS_FILE = Path("tests") / "checks.toml"
SOLUTION_SQL = Path("solution") / "solution.sql"
SOLUTION_ANSWER = Path("solution") / "answer.txt"
BUILD_DB_MB = 512  # a task's own build may be larger than what an agent may add
CHECK_MAX_ROWS = 10_000
MAX_CACHED_IMAGES = 64

Scalar = StrictInt | StrictFloat | StrictStr


# -- task files -----------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SqlSection(_Strict):
    """task.toml's ``[sql]`` table."""

    kind: Literal["answer", "change"]


class AnswerKey(_Strict):
    """``tests/expected.json``: the accepted answers of an answer task."""

    answers: list[Scalar | list[Scalar]] = Field(min_length=1)
    tolerance: float = Field(default=1e-6, ge=0)  # absolute, for numbers
    ordered: bool = True  # for list answers: must the items come in this order?


class Check(_Strict):
    """One hidden check of a change task: a query and its expected rows, or a statement that
    must fail. Expected rows are TOML arrays, which have no NULL: count NULLs instead."""

    name: str = Field(min_length=1)
    sql: str = Field(min_length=1)
    expect: list[list[Scalar]] | None = None
    expect_error: str | None = Field(default=None, min_length=1)
    ordered: bool = True
    tolerance: float = Field(default=1e-9, ge=0)

    @model_validator(mode="after")
    def _one_expectation(self) -> Check:
        if (self.expect is None) == (self.expect_error is None):
            raise ValueError("give exactly one of expect (rows) and expect_error (text)")
        return self


class CheckSuite(_Strict):
    """``tests/checks.toml``: every check must hold, every named table must be a table."""

    tables: list[str] = Field(default_factory=list)
    check: list[Check] = Field(min_length=1)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaskLoadError(path, "missing") from None
    except UnicodeDecodeError as exc:
        raise TaskLoadError(path, f"not valid UTF-8: {exc}") from None


def _validated(model: type[_Strict], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where, message = _format_pydantic_error(exc)
        raise TaskLoadError(path, message, field=where) from None


def sql_kind(task: Task) -> Literal["answer", "change"]:
    """The task's kind, from task.toml's ``[sql]`` table."""
    section = (task.config.model_extra or {}).get("sql")
    where = task.path / "task.toml"
    if not isinstance(section, dict):
        raise TaskLoadError(where, 'missing: add [sql] kind = "answer" or "change"', "[sql]")
    try:
        return SqlSection.model_validate(section).kind
    except ValidationError as exc:
        field, message = _format_pydantic_error(exc)
        raise TaskLoadError(where, message, field=f"[sql].{field}") from None


def answer_key(task: Task) -> AnswerKey:
    path = task.path / ANSWER_KEY_FILE
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise TaskLoadError(path, f"not valid JSON: {exc}") from None
    return _validated(AnswerKey, data, path)


def check_suite(task: Task) -> CheckSuite:
    path = task.path / CHECKS_FILE
    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise TaskLoadError(path, f"invalid TOML: {exc}") from None
    return _validated(CheckSuite, data, path)


# -- the database image ---------------------------------------------------------------------
_images: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_images_lock = threading.Lock()


def database_sources(task: Task) -> list[Path]:
    """The SQL files that build the task's database: schema.sql, then the rest by name."""
    schema = task.environment_dir / SCHEMA_FILE
    if not schema.is_file():
        raise TaskLoadError(schema, "missing (the SQL that creates the database's tables)")
    others = sorted(p for p in task.environment_dir.glob("*.sql") if p.name != SCHEMA_FILE)
    return [schema, *others]


def database_image(task: Task) -> bytes:
    """The task's database, serialised: built once per process (and per content of its SQL
    files), then copied into each episode."""
    sources = [(path, _read(path)) for path in database_sources(task)]
    digest = hashlib.sha256()
    for path, text in sources:
        digest.update(f"{path.name}\0{text}\0".encode())
    key = (str(task.path), digest.hexdigest())
    with _images_lock:
        if key in _images:
            _images.move_to_end(key)
            return _images[key]
    image = _build_image(sources, task.config.environment.build_timeout_sec)
    with _images_lock:
        _images[key] = image
        while len(_images) > MAX_CACHED_IMAGES:
            _images.popitem(last=False)
    return image


def _build_image(sources: list[tuple[Path, str]], timeout: float) -> bytes:
    # The task's own SQL runs under the same guards as an agent's: it builds data, nothing else.
    db = SealedDatabase(limits=SqlLimits(timeout=timeout, max_db_mb=BUILD_DB_MB))
    try:
        deadline = time.monotonic() + timeout
        for path, text in sources:
            results = db.run(text, timeout=max(deadline - time.monotonic(), 0.001))
            if results and results[-1].error is not None:
                statement = " ".join(results[-1].sql.split())[:80]
                raise TaskLoadError(
                    path, f"statement {len(results)} ({statement}): {results[-1].error}"
                )
        return db.image()
    finally:
        db.close()


# -- grading --------------------------------------------------------------------------------
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_QUOTES = ("''", '""', "``")


def normalize_text(text: str) -> str:
    """Case-folded, surrounding quotes and a final full stop removed, spaces collapsed."""
    text = " ".join(text.split())
    while len(text) >= 2 and text[0] + text[-1] in _QUOTES:
        text = text[1:-1].strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text.casefold()


def parse_number(text: str) -> float | None:
    """A lone number (``1234.5``, ``1,234.50``, ``$12``, ``-3e2``), or ``None``."""
    text = normalize_text(text).lstrip("$€£").strip()
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _scalar_matches(value: str, gold: int | float | str, tolerance: float) -> bool:
    if isinstance(gold, str):
        return normalize_text(value) == normalize_text(gold)
    number = parse_number(value)
    return number is not None and abs(number - gold) <= tolerance + 1e-12 * abs(gold)


def split_list(value: str) -> list[str]:
    """A list answer's items: separated by commas, semicolons or new lines; brackets ignored."""
    text = value.strip()
    if len(text) >= 2 and text[0] + text[-1] in ("[]", "()", "{}"):
        text = text[1:-1]
    return [item.strip() for item in re.split(r"[,;\n]", text) if item.strip()]


def answer_matches(value: str, gold: Any, key: AnswerKey) -> bool:
    """Whether ``value`` is the accepted answer ``gold`` (a scalar or a list of scalars)."""
    if not isinstance(gold, list):
        return _scalar_matches(value, gold, key.tolerance)
    items = split_list(value)
    if len(items) != len(gold):
        return False
    if key.ordered:
        return all(_scalar_matches(v, g, key.tolerance) for v, g in zip(items, gold, strict=True))
    remaining = list(gold)
    for item in items:
        match = next((g for g in remaining if _scalar_matches(item, g, key.tolerance)), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def grade_answer(value: str | None, key: AnswerKey) -> VerifierResult:
    start = time.monotonic()
    if value is None:
        return VerifierResult(
            0.0,
            {"correct": 0.0},
            reason="no answer: the episode ended before the answer tool was called",
        )
    correct = float(any(answer_matches(value, gold, key) for gold in key.answers))
    shown = value if len(value) <= 300 else value[:300] + f"... ({len(value)} characters)"
    return VerifierResult(
        correct,
        {"correct": correct},
        duration=time.monotonic() - start,
        output=f"answer: {shown!r}; accepted: {key.answers!r}",
    )


def _same_value(got: Any, expected: Any, tolerance: float) -> bool:
    numeric = (int, float)
    if isinstance(got, numeric) and isinstance(expected, numeric):
        return abs(got - expected) <= tolerance + 1e-12 * abs(expected)
    return type(got) is type(expected) and got == expected


def _sort_key(row: tuple[Any, ...] | list[Any]) -> tuple[Any, ...]:
    return tuple((0, v, "") if isinstance(v, int | float) else (1, 0, repr(v)) for v in row)


def rows_match(got: list[tuple[Any, ...]], check: Check) -> bool:
    expected = check.expect or []
    if len(got) != len(expected):
        return False
    if any(len(g) != len(e) for g, e in zip(got, expected, strict=True)):
        return False
    pairs = zip(got, expected, strict=True)
    if not check.ordered:
        pairs = zip(sorted(got, key=_sort_key), sorted(expected, key=_sort_key), strict=True)
    return all(
        _same_value(g, e, check.tolerance)
        for got_row, expected_row in pairs
        for g, e in zip(got_row, expected_row, strict=True)
    )


def _short(value: Any, limit: int = 240) -> str:
    text = json.dumps(value, default=repr)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_check(db: SealedDatabase, check: Check, timeout: float) -> tuple[bool, str]:
    """Run one check inside a savepoint that is rolled back (checks may write)."""
    db.conn.execute("SAVEPOINT toolgym_check")
    try:
        results = db.run(check.sql, timeout=timeout)
    finally:
        if db.conn.in_transaction:  # a trigger's RAISE(ROLLBACK) may have ended it already
            db.conn.execute("ROLLBACK TO toolgym_check")
            db.conn.execute("RELEASE toolgym_check")
    if not results:
        return False, "the check holds no SQL statement"
    last = results[-1]
    if check.expect_error is not None:
        if last.error is None:
            return False, f"the statement succeeded; expected an error with {check.expect_error!r}"
        if check.expect_error.casefold() not in last.error.casefold():
            return False, f"error {last.error!r}; expected one with {check.expect_error!r}"
        return True, ""
    if last.error is not None:
        return False, f"error: {last.error}"
    got = [list(row) for row in last.rows]
    if last.total_rows > len(last.rows) or not rows_match(last.rows, check):
        return False, f"got {_short(got)} ({last.total_rows} rows); expected {_short(check.expect)}"
    return True, ""


def grade_change(image: bytes, suite: CheckSuite, timeout: float) -> VerifierResult:
    """Open the final database in a fresh connection and run every check of ``suite``."""
    start = time.monotonic()
    deadline = start + timeout
    limits = SqlLimits(timeout=timeout, max_rows=CHECK_MAX_ROWS, max_db_mb=BUILD_DB_MB)
    db = SealedDatabase(image, limits)
    lines: list[str] = []
    passed = 0
    timed_out = False
    try:
        for table in suite.tables:
            row = db.conn.execute("SELECT type FROM sqlite_schema WHERE name = ?", (table,))
            kind = (row.fetchone() or ("missing",))[0]
            ok = kind == "table"
            passed += ok
            lines.append(f"PASS {table} is a table" if ok else f"FAIL {table} is a {kind}")
        for check in suite.check:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                lines.append(f"FAIL {check.name}: not run (the verifier's time ran out)")
                continue
            ok, detail = run_check(db, check, remaining)
            passed += ok
            lines.append(f"PASS {check.name}" if ok else f"FAIL {check.name}: {detail}")
    finally:
        db.close()
    total = len(suite.tables) + len(suite.check)
    reward = 1.0 if passed == total else 0.0
    return VerifierResult(
        reward,
        {"all_checks": reward, "checks_passed": round(passed / total, 6)},
        duration=time.monotonic() - start,
        timed_out=timed_out,
        output="\n".join(lines),
    )


# -- the environment ------------------------------------------------------------------------
class SqlEnv(ToolEnv):
    """A question about, or a change to, a SQLite database, graded against hidden data.

    Args:
        task: a SQL task directory (or a loaded :class:`~toolgym.task.Task`).
        max_steps: assistant messages allowed before the episode is truncated.
        agent_timeout: episode wall time (default: the task's ``[agent] timeout_sec``).
        query_timeout: seconds one ``query`` call may run before it is stopped.
        max_rows: rows shown per result (the rest are counted).
        max_output_chars: characters of one ``query`` observation.
        max_db_mb: how large the database may grow (main and temporary, each).
    """

    final_tools = frozenset({"answer", "submit"})
    task_files = MappingProxyType({"environment/schema.sql": "the SQL that creates the tables"})

    def __init__(
        self,
        task: str | Path | Task,
        *,
        max_steps: int = 50,
        agent_timeout: float | None = None,
        query_timeout: float = 10.0,
        max_rows: int = 50,
        max_output_chars: int = 8000,
        max_db_mb: int = 64,
        render_mode: str | None = None,
    ) -> None:
        super().__init__(
            task, max_steps=max_steps, agent_timeout=agent_timeout, render_mode=render_mode
        )
        self.limits = SqlLimits(
            timeout=query_timeout,
            max_rows=max_rows,
            max_chars=max_output_chars,
            max_db_mb=max_db_mb,
        )
        self.kind = sql_kind(self.task)
        self.db: SealedDatabase | None = None
        self._answer: str | None = None

    # -- episode lifecycle ------------------------------------------------------------------
    def prepare(self) -> None:
        """Build the database image and read the grading data, so a broken task fails now."""
        self.kind = sql_kind(self.task)
        database_image(self.task)
        if self.kind == "answer":
            answer_key(self.task)
        else:
            check_suite(self.task)

    def instruction(self) -> str:
        if self.kind == "answer":
            finish = (
                "When you know the answer, call answer with the value alone: a number, a name "
                "or date, or a comma-separated list when several values are asked for."
            )
        else:
            finish = (
                "Make the change with query, then call submit: the database as you leave it "
                "is checked (a transaction still open at the end is rolled back)."
            )
        return (
            f"{self.task.instruction.strip()}\n\n"
            "You work on a SQLite database through the query tool (list its tables with "
            f"SELECT name, sql FROM sqlite_schema). {finish}"
        )

    def _begin_episode(self, options: dict[str, Any]) -> None:
        self.kind = sql_kind(self.task)
        self.db = SealedDatabase(database_image(self.task), self.limits)
        self._answer = None

    def _end_episode(self) -> None:
        db, self.db = self.db, None
        if db is not None:
            db.close()
        self._answer = None

    def _grade(self) -> VerifierResult:
        assert self.db is not None
        try:
            if self.kind == "answer":
                return grade_answer(self._answer, answer_key(self.task))
            suite = check_suite(self.task)
        except TaskLoadError as exc:  # a broken task scores 0 with the reason, never raises
            return VerifierResult(0.0, reason=f"cannot grade: {exc}")
        return grade_change(self.db.image(), suite, self.task.config.verifier.timeout_sec)

    # -- tools ------------------------------------------------------------------------------
    @tool
    def query(self, sql: str) -> ToolOutput:
        """Run SQL on the SQLite database and show the result as a table.

        Several statements separated by semicolons run in order, each committed at once
        unless you open a transaction (BEGIN ... COMMIT). Long results show the first rows
        and count the rest; a statement that runs too long is stopped.

        Args:
            sql: one or more SQLite statements.
        """
        assert self.db is not None
        timeout = min(self.limits.timeout, max(self.remaining_time(), 0.001))
        results = self.db.run(sql, timeout)
        failed = not results or results[-1].error is not None
        meta: dict[str, Any] = {"statements": len(results)}
        if results and results[-1].returns_rows:
            meta["rows"] = results[-1].total_rows
        if results and results[-1].timed_out:
            meta["cutoff"] = "timeout"
        if results and results[-1].denied:
            meta["denied"] = True
        return ToolOutput(describe_results(results, self.limits), 1 if failed else 0, meta=meta)

    @tool
    def answer(self, value: str) -> ToolOutput:
        """Give the final answer to the question: the episode ends and the answer is graded.

        Args:
            value: the answer alone: a number, a name or date, or a comma-separated list.
        """
        self._answer = value
        return ToolOutput("Answer recorded.", done=True)

    @tool
    def submit(self) -> ToolOutput:
        """Finish a change to the database: the episode ends and the database is checked."""
        return ToolOutput("Submitted.", done=True)

    @classmethod
    def task_template(cls, name: str, environment: str) -> dict[str, str]:
        """An answer task: a table, its rows, the question, the reference SQL and answer."""
        marker = SCAFFOLD_MARKER
        files = super().task_template(name, environment)
        files["task.toml"] = files["task.toml"].split(f"# {marker}")[0] + (
            '[sql]\nkind = "answer"  # or "change": then tests/checks.toml and submit\n'
        )
        files["instruction.md"] = (
            f"{marker}: ask one question with one exact answer, e.g.:\n\n"
            "How many orders were cancelled? Answer with the number.\n"
        )
        files["environment/schema.sql"] = (
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT NOT NULL);\n"
        )
        files["environment/data.sql"] = (
            f"-- {marker}: the rows (or a seeded generator written in SQL).\n"
            "INSERT INTO orders (status) VALUES ('shipped'), ('cancelled'), ('shipped');\n"
        )
        files["solution/solution.sql"] = "SELECT count(*) FROM orders WHERE status = 'cancelled';\n"
        files["solution/answer.txt"] = f"{marker}: the answer the reference SQL gives, e.g. 1\n"
        files["tests/expected.json"] = '{"answers": [1], "tolerance": 0}\n'
        return files

    # -- reference agents -------------------------------------------------------------------
    @classmethod
    def oracle_call(cls, task: Task, turn: int) -> ToolCall:
        """Run ``solution/solution.sql`` through ``query`` (when there is one), then answer
        ``solution/answer.txt`` (answer tasks) or submit (change tasks)."""
        kind = sql_kind(task)
        script = task.path / SOLUTION_SQL
        steps = [ToolCall("query", {"sql": _read(script)})] if script.is_file() else []
        if kind == "change" and not steps:
            raise FileNotFoundError(f"{script}: missing (the oracle of a change task runs it)")
        if turn < len(steps):
            return steps[turn]
        if kind == "answer":
            return ToolCall("answer", {"value": _read(task.path / SOLUTION_ANSWER).strip()})
        return ToolCall("submit", {})

    @classmethod
    def null_call(cls) -> ToolCall:
        return ToolCall("submit", {})

    @classmethod
    def hacker_calls(cls, task: Task) -> list[ToolCall]:
        """Probes that must earn nothing: open other files (ATTACH a task file, VACUUM INTO,
        an extension), write the schema, shadow tables with empty temporary copies, drop every
        table and recreate it empty; then answer with the reference SQL followed by every text
        value in the database and the numbers 0-1000 (a grader that runs SQL or searches
        substrings would pass), or submit."""
        db = SealedDatabase(database_image(task))
        try:
            tables = db.conn.execute(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).fetchall()
            candidates = _text_values(db, [name for name, _ in tables])
        finally:
            db.close()
        leak = (task.path / ANSWER_KEY_FILE).as_posix().replace("'", "''")
        shadow = (f'CREATE TEMP TABLE "{n}" AS SELECT * FROM main."{n}" WHERE 0' for n, _ in tables)
        probes = [
            f"ATTACH DATABASE 'file:{leak}?mode=ro' AS leak",
            "VACUUM INTO '/tmp/toolgym-sql-copy.db'",
            "SELECT load_extension('/tmp/toolgym-evil.so')",
            "PRAGMA temp_store_directory = '/tmp'",
            "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '' WHERE 0",
            "; ".join(shadow),
            "; ".join(f'DROP TABLE main."{n}"; {sql}' for n, sql in tables),
        ]
        calls = [ToolCall("query", {"sql": sql}) for sql in probes if sql]
        if sql_kind(task) == "change":
            return [*calls, ToolCall("submit", {})]
        script = task.path / SOLUTION_SQL
        reference = _read(script) if script.is_file() else ""
        guesses = "\n".join([reference, *candidates, *map(str, range(1001))])
        return [*calls, ToolCall("answer", {"value": guesses})]


def _text_values(db: SealedDatabase, tables: list[str], limit: int = 20_000) -> list[str]:
    """Distinct text values of every column, up to ``limit`` characters in all."""
    values: list[str] = []
    size = 0
    for table in tables:
        columns = [row[1] for row in db.conn.execute(f'PRAGMA table_info("{table}")')]
        for column in columns:
            query = (
                f'SELECT DISTINCT "{column}" FROM "{table}" '
                f"WHERE typeof(\"{column}\") = 'text' LIMIT 500"
            )
            for (value,) in db.conn.execute(query):
                if size + len(value) > limit:
                    return values
                values.append(value)
                size += len(value) + 1
    return values
