"""A sealed, in-memory SQLite database that runs untrusted SQL inside the calling process.

``SqlEnv`` lets an agent run any SQL it writes. SQLite runs in process, so the SQL engine
itself is the only boundary; these are the guards, each for one way SQL can reach beyond the
episode's own data:

* **No file at all.** The database lives in memory (``file::memory:``), made by deserialising a
  prepared image; nothing is written to disk and no two connections share pages, so two
  episodes can never see each other's data, and a reset costs one copy of the image.
* **Nothing else can be opened.** ``ATTACH`` is the only way SQL can open or create another
  database file (``VACUUM INTO`` attaches its target, plain ``VACUUM`` attaches a scratch
  database): the authorizer denies ``ATTACH``/``DETACH`` and ``SQLITE_LIMIT_ATTACHED`` is 0
  as a second lock.
* **No native code.** Extension loading is off at the C level (Python's default, re-asserted),
  and the authorizer denies the SQL functions ``load_extension`` and ``fts3_tokenizer`` (the
  latter can take a C pointer).
* **PRAGMAs on an allowlist.** Read-only introspection (``table_info``, ``index_list``,
  ``foreign_key_check``, ...) and harmless per-connection settings (``foreign_keys``,
  ``recursive_triggers``, ...) are allowed; everything else is denied, notably the pragmas
  that name directories or files (``temp_store_directory``, ``data_store_directory``), change
  storage (``journal_mode``, ``mmap_size``, ``page_size``), lift our caps
  (``max_page_count``, ``hard_heap_limit``) or can corrupt the schema (``writable_schema``,
  ``schema_version``).
* **Bounded work.** A progress handler interrupts any statement that runs past the call's
  deadline (SQLite rolls the statement back); ``max_page_count`` caps the main and temporary
  databases; ``SQLITE_LIMIT_LENGTH`` caps one string or blob.
* **Bounded output.** At most ``max_rows`` rows are fetched and shown, the rest are only
  counted (up to a cap), each cell and the whole text are cut with a visible marker.

* **A memory cap.** Page caps do not bound a statement's sorter or ephemeral tables, which
  grow by gigabytes within a time budget (``SELECT zeroblob(500000) FROM <endless recursion>
  ORDER BY 1``). SQLite's only memory limit is process-wide, so the first sealed database sets
  ``PRAGMA hard_heap_limit`` to ``TOOLGYM_SQL_HEAP_MB`` (default 1024; 0 leaves it off): such a
  query then fails with "out of memory" and the connection stays usable. The cap is shared by
  every SQLite connection of the process (episodes use a few MB each), and the pragma only ever
  lowers a limit, so an application's own lower cap is kept.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Statements between progress-handler calls (a few microseconds of work).
PROGRESS_STEPS = 1000
# Rows after the shown ones are counted up to this many, then reported as "more than".
COUNT_CAP = 100_000

# PRAGMAs whose argument, if any, names a table or index: read-only introspection.
INSPECT_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
    }
)
# PRAGMAs that are read only here (asking is fine, setting is denied).
READ_PRAGMAS = frozenset(
    {
        "collation_list",
        "function_list",
        "module_list",
        "pragma_list",
        "database_list",
        "compile_options",
        "encoding",
        "page_count",
        "page_size",
        "freelist_count",
        "max_page_count",
        "schema_version",
        "data_version",
    }
)
# Per-connection settings that cannot reach outside the database or lift a cap.
SETTING_PRAGMAS = frozenset(
    {
        "foreign_keys",
        "defer_foreign_keys",
        "recursive_triggers",
        "case_sensitive_like",
        "legacy_alter_table",
        "reverse_unordered_selects",
        "automatic_index",
        "user_version",
    }
)
DENIED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer"})


@dataclass(frozen=True)
class SqlLimits:
    """The caps of one sealed database (per call, per result, per database)."""

    timeout: float = 10.0  # seconds one call may run
    max_rows: int = 50  # rows shown per result
    max_chars: int = 8000  # characters of one call's whole output
    max_cell_chars: int = 200  # characters of one shown value
    max_db_mb: int = 64  # size of the main and of the temporary database
    max_value_bytes: int = 16 * 2**20  # one string or blob

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_rows < 1 or self.max_chars < 200:
            raise ValueError(
                "SqlLimits: timeout must be positive, max_rows at least 1 and max_chars at "
                f"least 200 (got {self.timeout}, {self.max_rows}, {self.max_chars})"
            )
        if self.max_cell_chars < 10 or self.max_db_mb < 1 or self.max_value_bytes < 1024:
            raise ValueError(
                "SqlLimits: max_cell_chars must be at least 10, max_db_mb at least 1 and "
                f"max_value_bytes at least 1024 (got {self.max_cell_chars}, {self.max_db_mb}, "
                f"{self.max_value_bytes})"
            )


@dataclass
class StatementResult:
    """One statement's outcome: rows (the first ``max_rows``) or a change count, or an error."""

    sql: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    total_rows: int = 0  # rows the statement returned (counted up to COUNT_CAP)
    more_than: bool = False  # total_rows stopped at the cap
    changes: int | None = None  # rows changed by INSERT/UPDATE/DELETE
    error: str | None = None
    timed_out: bool = False
    denied: str | None = None  # what the authorizer refused, when it did

    @property
    def returns_rows(self) -> bool:
        return bool(self.columns)


def split_statements(sql: str) -> list[str]:
    """Split a script into statements, as SQLite would run them one after another.

    Semicolons inside strings, quoted identifiers and comments do not split; a trigger body
    (``BEGIN ...; END``) stays whole (``sqlite3.complete_statement`` decides at each top-level
    semicolon). Comments before a statement are dropped, and so are pieces holding only
    comments or whitespace; a last statement may omit its semicolon.
    """
    statements: list[str] = []
    start: int | None = None  # where the current statement's code begins
    index = 0
    length = len(sql)
    while index < length:
        char = sql[index]
        if sql.startswith("--", index):
            end = sql.find("\n", index)
            index = length if end < 0 else end + 1
            continue
        if sql.startswith("/*", index):
            end = sql.find("*/", index + 2)
            index = length if end < 0 else end + 2
            continue
        if char == ";":
            if start is not None and sqlite3.complete_statement(sql[start : index + 1]):
                statements.append(sql[start : index + 1].strip())
                start = None
        elif not char.isspace() and start is None:
            start = index
        if char in "'\"`[":
            closing = "]" if char == "[" else char
            end = sql.find(closing, index + 1)
            index = length if end < 0 else end + 1
            continue
        index += 1
    if start is not None:
        statements.append(sql[start:].strip())
    return statements


#: Process-wide cap on SQLite's heap (all connections of the process together), MB.
HEAP_LIMIT_MB = int(os.environ.get("TOOLGYM_SQL_HEAP_MB", "1024"))
_heap_lock = threading.Lock()
_heap_capped = False


def cap_sqlite_heap(conn: sqlite3.Connection, limit_mb: int = HEAP_LIMIT_MB) -> None:
    """Set the process-wide SQLite heap cap once (see the module docstring for why)."""
    global _heap_capped
    with _heap_lock:
        if not _heap_capped and limit_mb > 0:
            conn.execute(f"PRAGMA hard_heap_limit = {int(limit_mb) * 2**20}")
        _heap_capped = True


class SealedDatabase:
    """An in-memory SQLite database with the guards described in this module's docstring.

    Args:
        image: a serialised database (``Connection.serialize()``) to start from; ``None``
            starts empty.
        limits: the caps (time per call, rows and characters shown, database size).
    """

    def __init__(self, image: bytes | None = None, limits: SqlLimits | None = None) -> None:
        self.limits = limits or SqlLimits()
        self._deadline = float("inf")
        self._timed_out = False
        self._denied: str | None = None
        self.conn = sqlite3.connect(
            "file::memory:", uri=True, isolation_level=None, check_same_thread=False
        )
        try:
            cap_sqlite_heap(self.conn)
            if image:
                self.conn.deserialize(image)
            # Text that is not UTF-8 (CAST(x'ff' AS TEXT)) is shown replaced, never raised on.
            self.conn.text_factory = lambda data: data.decode("utf-8", "replace")
            if hasattr(self.conn, "enable_load_extension"):
                self.conn.enable_load_extension(False)
            self.conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
            self.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, self.limits.max_value_bytes)
            # Sorters and temporary tables stay in memory, under the heap cap: with the default
            # they spill to files in the host's /var/tmp, gigabytes within one time budget.
            # (Set first: switching it reopens the temporary database, dropping its page cap.)
            self.conn.execute("PRAGMA temp_store = MEMORY")
            page_size = self.conn.execute("PRAGMA page_size").fetchone()[0]
            pages = max(1, self.limits.max_db_mb * 2**20 // page_size)
            for schema in ("main", "temp"):
                self.conn.execute(f"PRAGMA {schema}.max_page_count = {pages}")
            self.conn.execute("PRAGMA trusted_schema = OFF")
            self.conn.set_authorizer(self._authorize)
            self.conn.set_progress_handler(self._progress, PROGRESS_STEPS)
        except BaseException:
            self.conn.close()
            raise

    # -- guards -----------------------------------------------------------------------------
    def _authorize(
        self, action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None
    ) -> int:
        reason = None
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            reason = (
                "ATTACH, DETACH and VACUUM are not available: this database is sealed "
                "(no other database file can be opened or written)"
            )
        elif action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
            reason = f"the function {arg2}() is not available (no extensions can be loaded)"
        elif action == sqlite3.SQLITE_PRAGMA and not _pragma_allowed((arg1 or "").lower(), arg2):
            reason = (
                f"PRAGMA {arg1}{'' if arg2 is None else ' = ' + arg2} is not allowed here "
                "(allowed: introspection such as table_info, index_list, foreign_key_check, "
                "and the settings " + ", ".join(sorted(SETTING_PRAGMAS)) + ")"
            )
        if reason is None:
            return sqlite3.SQLITE_OK
        self._denied = reason
        return sqlite3.SQLITE_DENY

    def _progress(self) -> int:
        if time.monotonic() > self._deadline:
            self._timed_out = True
            return 1
        return 0

    # -- running SQL ------------------------------------------------------------------------
    def run(self, sql: str, timeout: float | None = None) -> list[StatementResult]:
        """Run every statement of ``sql`` in order until one fails; never raises for bad SQL.

        The deadline covers the whole call. Statements run in autocommit mode unless the
        script opens a transaction itself.
        """
        limit = self.limits.timeout if timeout is None else timeout
        self._deadline = time.monotonic() + max(limit, 0.001)
        results: list[StatementResult] = []
        try:
            for statement in split_statements(sql):
                result = self._run_one(statement, limit)
                results.append(result)
                if result.error is not None:
                    break
        finally:
            self._deadline = float("inf")
        return results

    def _run_one(self, statement: str, limit: float) -> StatementResult:
        result = StatementResult(statement)
        self._timed_out, self._denied = False, None
        cursor = None
        try:
            cursor = self.conn.execute(statement)
            if cursor.description is None:
                result.changes = cursor.rowcount if cursor.rowcount >= 0 else None
                return result
            result.columns = [column[0] for column in cursor.description]
            result.rows = cursor.fetchmany(self.limits.max_rows)
            total = len(result.rows)
            if total == self.limits.max_rows:
                for _ in cursor:
                    total += 1
                    if total >= COUNT_CAP:
                        result.more_than = cursor.fetchone() is not None
                        break
            result.total_rows = total
        except MemoryError:  # SQLITE_NOMEM: the process-wide heap cap was reached
            result.error = (
                f"out of memory: SQLite may use {HEAP_LIMIT_MB} MiB in this process; make the "
                "statement smaller (fewer or shorter rows to sort or group) and try again"
            )
        except (sqlite3.Error, OverflowError, ValueError) as exc:
            result.error = self._explain(exc, limit)
            result.timed_out = self._timed_out
            result.denied = self._denied
        finally:
            if cursor is not None:
                cursor.close()
        return result

    def _explain(self, exc: Exception, limit: float) -> str:
        message = str(exc)
        if self._timed_out:
            return (
                f"the statement was stopped after {limit:g}s (the time limit for one call); "
                "make it cheaper (an index, a tighter WHERE, a LIMIT) and try again"
            )
        if self._denied is not None:  # "not authorized" or "authorization denied"
            return self._denied
        if "database or disk is full" in message:
            return f"{message} (this database is capped at {self.limits.max_db_mb} MiB)"
        if isinstance(exc, sqlite3.ProgrammingError) and "one statement at a time" in message:
            return "could not split the statements; end each one with a semicolon"
        return message

    def image(self) -> bytes:
        """The main database as bytes (temporary objects left out). An open transaction is
        rolled back first, as SQLite does when a connection closes."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        return self.conn.serialize()

    def table_names(self) -> list[str]:
        query = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return [row[0] for row in self.conn.execute(query + " ORDER BY name")]

    def close(self) -> None:
        self.conn.close()


def _pragma_allowed(name: str, argument: str | None) -> bool:
    if name in INSPECT_PRAGMAS or name in SETTING_PRAGMAS:
        return True
    return name in READ_PRAGMAS and argument is None


# -- rendering ------------------------------------------------------------------------------
def format_value(value: Any, max_chars: int) -> str:
    """One value as a table cell: ``NULL``, blobs as hex, newlines and tabs escaped, capped."""
    if value is None:
        text = "NULL"
    elif isinstance(value, bytes):
        shown = value[: max(1, max_chars // 2 - 8)].hex()
        text = f"x'{shown}'" + ("" if len(value) * 2 <= len(shown) else f"… ({len(value)} bytes)")
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
        text = text.replace("\r", "\\r")
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return text


def render_table(result: StatementResult, limits: SqlLimits) -> str:
    """Rows as an aligned text table with a footer counting them (and saying when not all
    are shown)."""
    cells = [[format_value(v, limits.max_cell_chars) for v in row] for row in result.rows]
    header = [format_value(c, limits.max_cell_chars) for c in result.columns]
    widths = [max([len(header[i])] + [len(row[i]) for row in cells]) for i in range(len(header))]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    for row in cells:
        lines.append(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    total = f"more than {result.total_rows}" if result.more_than else str(result.total_rows)
    if len(result.rows) < result.total_rows or result.more_than:
        lines.append(
            f"[... showing the first {len(result.rows)} of {total} rows; "
            "use WHERE, LIMIT or an aggregate to see the rest ...]"
        )
    else:
        lines.append(f"({total} row{'' if result.total_rows == 1 else 's'})")
    return "\n".join(lines)


def describe_result(result: StatementResult, limits: SqlLimits) -> str:
    """One statement's observation: its table, its change count, or its error."""
    if result.error is not None:
        return f"Error: {result.error}"
    if result.returns_rows:
        return render_table(result, limits)
    if result.changes is not None:
        return f"OK ({result.changes} row{'' if result.changes == 1 else 's'} changed)"
    return "OK"


def describe_results(results: Sequence[StatementResult], limits: SqlLimits) -> str:
    """A call's observation: one statement's result as is; several, each under a header
    naming it. The text is cut at ``limits.max_chars`` with a marker saying how much."""
    if not results:
        text = "Error: no SQL statement found (only whitespace or comments)"
    elif len(results) == 1:
        text = describe_result(results[0], limits)
    else:
        blocks = []
        for number, result in enumerate(results, 1):
            first_line = " ".join(result.sql.split())
            if len(first_line) > 70:
                first_line = first_line[:69] + "…"
            blocks.append(f"[{number}] {first_line}\n{describe_result(result, limits)}")
        if results[-1].error is not None and len(results) > 1:
            blocks.append(
                f"(statement {len(results)} failed; the statements before it ran, and their "
                "changes are kept unless they were inside a transaction you roll back)"
            )
        text = "\n\n".join(blocks)
    return cut_text(text, limits.max_chars)


def cut_text(text: str, max_chars: int) -> str:
    """``text`` cut at a line boundary to about ``max_chars``, with a marker counting the cut
    characters."""
    if len(text) <= max_chars:
        return text
    keep = text[: max_chars - 120]
    if "\n" in keep[len(keep) // 2 :]:
        keep = keep[: keep.rindex("\n")]
    cut = len(text) - len(keep)
    return (
        f"{keep}\n[... output cut: {cut} more characters not shown; "
        "ask for fewer rows or columns ...]"
    )
