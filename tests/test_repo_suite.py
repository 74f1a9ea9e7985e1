"""The built-in repository suite (tasks/repo): every task is well formed, and the gate (oracle
1, null 0) holds. Preparing a template downloads its package's sdist from PyPI once, so the
default run gates a representative subset; ``-m slow`` gates every task."""

from __future__ import annotations

from collections import Counter

import pytest

from toolgym.check import check_task
from toolgym.repo.config import repo_config
from toolgym.task import load_tasks

SUITE = load_tasks(["repo"])
REPRESENTATIVE = ["repo/inflection-test-000000", "repo/iniconfig-test-000000"]


def test_suite_covers_several_real_packages():
    assert len(SUITE) >= 20
    packages = Counter(repo_config(task).package for task in SUITE)
    assert len(packages) >= 4 and None not in packages
    for task in SUITE:
        config = repo_config(task)
        assert config.version and config.sha256, task.id  # pinned by version and digest
        assert (task.path / "solution" / "fix.patch").is_file()
        assert (task.path / "environment" / "bug.patch").is_file()
        assert set(config.fail_to_pass).isdisjoint(config.pass_to_pass)
        assert "<issue>" not in task.instruction and "bug.patch" not in task.instruction


@pytest.mark.parametrize("task_id", REPRESENTATIVE)
def test_representative_tasks_pass_the_gate(backend, task_id):
    task = next(t for t in SUITE if t.id == task_id)
    result = check_task(task, backend)
    assert result.passed, result.problems


@pytest.mark.slow
@pytest.mark.parametrize("task", SUITE, ids=[t.id for t in SUITE])
def test_every_task_passes_the_gate(backend, task):
    result = check_task(task, backend)
    assert result.passed, result.problems
