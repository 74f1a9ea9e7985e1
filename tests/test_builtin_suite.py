"""The shipped shell suite passes the gate: oracle 1.0, null 0.0, every task."""

from __future__ import annotations

import pytest

from toolgym.check import check_task
from toolgym.task import load_task, resolve_task_paths

SHELL_TASKS = resolve_task_paths("shell")


def test_suite_size_and_metadata():
    tasks = [load_task(path) for path in SHELL_TASKS]
    assert len(tasks) >= 10
    assert all(task.category and task.difficulty in ("easy", "medium", "hard") for task in tasks)
    assert len({task.category for task in tasks}) >= 5


@pytest.mark.parametrize("path", SHELL_TASKS, ids=[p.name for p in SHELL_TASKS])
def test_task_passes_the_gate(path, backend):
    result = check_task(path, backend)
    assert result.passed, "\n".join(result.problems)
    assert result.rewards == {"oracle": 1.0, "null": 0.0, "hacker": 0.0}
