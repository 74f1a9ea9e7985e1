"""Tasks as rows of a JSONL file: many small tasks in one file, next to Harbor directories.

Question-answering tasks (a search question and its gold answers) need no starting state, no
Dockerfile and no verifier script: a directory per question would be thousands of two-line
folders. A *task file* holds them instead, one JSON object per line::

    {"id": "walrus-operator", "question": "...", "answers": ["..."], "index": "builtin"}

* ``id`` (required): the row's name, unique in the file (letters, digits, ``.``, ``_``, ``-``).
* ``question`` or ``instruction`` (required): what the agent is asked.
* ``environment`` (optional): the environment that runs it; ``search`` by default, the
  environment rows were introduced for (a shell task needs a directory).
* ``metadata`` (optional): ``category``, ``difficulty``, ``tags`` as in task.toml.
* ``agent_timeout_sec`` (optional): the episode's wall-time budget.
* any other key is kept for the environment (for search: ``answers``, ``index``, ``support``).

The suite of a row is the file's name without ``.jsonl``. One row is addressed as
``FILE.jsonl#ID``; that reference is the task's ``Task.path``, so ``load_task(task.path)``
loads it again, ``toolgym check tasks/search/stdlib.jsonl#walrus-operator`` checks one row, and
every caller that keys tasks by path keeps working. Errors name the file and the line.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from toolgym.task import Task, TaskConfig, TaskLoadError, _format_pydantic_error

TASK_FILE_SUFFIX = ".jsonl"
ROW_SEPARATOR = "#"
DEFAULT_ROW_ENVIRONMENT = "search"
ROW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_TASK_KEYS = ("question", "instruction")

_cache: dict[Path, tuple[tuple[int, int], dict[str, tuple[int, dict[str, Any]]]]] = {}
_cache_lock = threading.Lock()


def row_reference(file: Path, row_id: str) -> Path:
    """The path-like reference ``FILE.jsonl#ID`` of one row."""
    return file.with_name(f"{file.name}{ROW_SEPARATOR}{row_id}")


def split_row_reference(path: str | Path) -> tuple[Path, str] | None:
    """``(file, id)`` when ``path`` is a row reference ``FILE.jsonl#ID``, else ``None``."""
    path = Path(path)
    name, sep, row_id = path.name.partition(ROW_SEPARATOR)
    if not sep or not name.endswith(TASK_FILE_SUFFIX) or not row_id:
        return None
    return path.with_name(name), row_id


def is_task_file(path: Path) -> bool:
    """Whether a ``.jsonl`` file found while scanning a folder holds tasks.

    A corpus or a results file sits beside task files too, so a file counts when its first
    line is a JSON object with a ``question`` or ``instruction``; a first line that is not
    JSON at all still counts, so that a broken task file is reported rather than skipped.
    """
    if path.suffix != TASK_FILE_SUFFIX or not path.is_file():
        return False
    try:
        with open(path, encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
    except (OSError, UnicodeDecodeError):
        return True
    if not first:
        return False
    try:
        row = json.loads(first)
    except json.JSONDecodeError:
        return True
    return isinstance(row, dict) and any(key in row for key in _TASK_KEYS)


def _check_row(row: dict[str, Any], where: str) -> tuple[str, str]:
    """The row's id and question, or an error naming the row and the field."""
    row_id = row.get("id")
    if not isinstance(row_id, str) or not ROW_ID.match(row_id):
        message = f"expected a name of letters, digits, '.', '_' and '-', got {row_id!r}"
        raise TaskLoadError(where, message, field="id")
    text = next((row[key] for key in _TASK_KEYS if key in row), None)
    if not isinstance(text, str) or not text.strip():
        raise TaskLoadError(where, "missing or empty (what the agent is asked)", "question")
    return row_id, text


def _parse_task_file(file: Path) -> dict[str, tuple[int, dict[str, Any]]]:
    rows: dict[str, tuple[int, dict[str, Any]]] = {}
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaskLoadError(file, "no such task file") from None
    except UnicodeDecodeError as exc:
        raise TaskLoadError(file, f"not valid UTF-8: {exc}") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{file}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TaskLoadError(where, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(row, dict):
            raise TaskLoadError(where, f"expected a JSON object, got {type(row).__name__}")
        row_id, _ = _check_row(row, where)
        if row_id in rows:
            raise TaskLoadError(where, f"duplicate id (also on line {rows[row_id][0]})", "id")
        rows[row_id] = (number, row)
    if not rows:
        raise TaskLoadError(file, "holds no task rows")
    return rows


def read_task_file(file: str | Path) -> dict[str, tuple[int, dict[str, Any]]]:
    """The rows of a task file by id, as ``(line number, row)``; parsed once per version of
    the file (many references into one file are resolved one at a time)."""
    file = Path(file).resolve()
    try:
        info = os.stat(file)
    except FileNotFoundError:
        raise TaskLoadError(file, "no such task file") from None
    stamp = (info.st_mtime_ns, info.st_size)
    with _cache_lock:
        cached = _cache.get(file)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    rows = _parse_task_file(file)
    with _cache_lock:
        _cache[file] = (stamp, rows)
    return rows


def task_from_row(row: dict[str, Any], file: Path | None = None, line: int | None = None) -> Task:
    """A :class:`Task` from one row (``file`` and ``line`` say where it came from; an inline
    row, such as one passed to ``gym.make``, resolves relative paths against the cwd)."""
    where = f"{file}:{line}" if file is not None and line is not None else "task row"
    row_id, text = _check_row(row, where)
    raw: dict[str, Any] = {
        "metadata": row.get("metadata") or {},
        "toolgym": {"environment": row.get("environment", DEFAULT_ROW_ENVIRONMENT)},
    }
    if "agent_timeout_sec" in row:
        raw["agent"] = {"timeout_sec": row["agent_timeout_sec"]}
    try:
        config = TaskConfig.model_validate(raw)
    except ValidationError as exc:
        field, message = _format_pydantic_error(exc)
        raise TaskLoadError(where, message, field=field) from None
    if file is None:
        file, suite = Path.cwd() / "inline.jsonl", ""
    else:
        suite = file.name.removesuffix(TASK_FILE_SUFFIX)
    return Task(
        path=row_reference(file, row_id),
        config=config,
        instruction=text,
        suite=suite,
        extra={"row": dict(row), "line": line},
    )


def load_task_row(file: str | Path, row_id: str) -> Task:
    """One row of a task file as a :class:`Task`."""
    file = Path(file).resolve()
    rows = read_task_file(file)
    if row_id not in rows:
        raise TaskLoadError(file, f"no row with id {row_id!r}")
    line, row = rows[row_id]
    return task_from_row(row, file, line)


def task_file_references(file: str | Path) -> list[Path]:
    """A reference for every row of a task file, in file order."""
    file = Path(file).resolve()
    return [row_reference(file, row_id) for row_id in read_task_file(file)]
