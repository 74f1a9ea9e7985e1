"""What a search task holds: the question, hidden gold answers, the index, the gold documents.

Two spellings of the same thing:

* a row of a task file (``tasks/search/<suite>.jsonl``, see :mod:`toolgym.task_rows`)::

    {"id": "...", "question": "...", "answers": ["...", "alias"], "index": "builtin",
     "support": ["topic/assert"], "metadata": {"category": "single-hop"}}

* a Harbor-style directory: ``instruction.md`` is the question, and ``task.toml`` says::

    [toolgym]
    environment = "search"

    [search]                 # the agent never sees task files
    answers = ["...", "alias"]
    index = "builtin"        # a named index, or a path relative to the task directory
    support = ["topic/assert"]

``support`` lists the gold documents hop by hop (the last one holds the answer); the oracle
reads them, and ``toolgym check`` verifies they exist in the index.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from toolgym.search.normalize import normalize_answer
from toolgym.task import Task, TaskLoadError, _format_pydantic_error


class SearchSpec(BaseModel):
    """The search part of a task (validated; unknown keys kept)."""

    model_config = ConfigDict(extra="allow")

    question: str = Field(min_length=1)
    answers: list[str] = Field(min_length=1)
    index: str = Field(min_length=1)
    support: list[str] = Field(default_factory=list)

    @field_validator("answers")
    @classmethod
    def _answers_are_gradable(cls, answers: list[str]) -> list[str]:
        for answer in answers:
            if not normalize_answer(answer):
                raise ValueError(f"answer {answer!r} is empty once normalised (cannot be matched)")
        return answers


def search_spec(task: Task) -> SearchSpec:
    """The task's search spec; an error names the file (and line or section) at fault."""
    row = task.extra.get("row")
    if isinstance(row, dict):
        line = task.extra.get("line")
        file = task.path.with_name(task.path.name.partition("#")[0])
        where: Path | str = f"{file}:{line}" if line else f"task row {task.name!r}"
        data = dict(row)
        data["question"] = row.get("question", task.instruction)
        prefix = ""
    else:
        where = task.path / "task.toml"
        section = (task.config.model_extra or {}).get("search")
        if not isinstance(section, dict):
            raise TaskLoadError(
                where, "missing (a search task needs answers and an index)", "[search]"
            )
        data = {**section, "question": task.instruction}
        prefix = "[search]."
    try:
        return SearchSpec.model_validate(data)
    except ValidationError as exc:
        field, message = _format_pydantic_error(exc)
        raise TaskLoadError(where, message, field=prefix + field) from None
