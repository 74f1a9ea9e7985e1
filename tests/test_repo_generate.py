"""``toolgym generate repo`` on a local package: planted bugs its tests catch, deterministic
per seed, splits disjoint by function, and tasks that pass the gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolgym.check import check_task
from toolgym.cli import app
from toolgym.repo.config import repo_config
from toolgym.repo.fixtures import write_demo_repo
from toolgym.repo.generate import (
    PackageSource,
    clean_message,
    function_split,
    generate_repo_tasks,
    issue_text,
)
from toolgym.repo.mutate import file_sites
from toolgym.task import load_task

runner = CliRunner()
EXTRA = '''

def normalise(text, width=8, fill="."):
    """``text`` cut or padded to ``width`` characters."""
    if len(text) > width:
        return text[:width]
    return text + fill * (width - len(text))


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2 == 1:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
'''
EXTRA_TESTS = """

from calc.core import median, normalise


def test_normalise_pads():
    assert normalise("ab", 4) == "ab.."


def test_normalise_cuts():
    assert normalise("abcdef", 3) == "abc"


def test_normalise_default():
    assert normalise("x") == "x......."


def test_median_odd():
    assert median([3, 1, 2]) == 2


def test_median_even():
    assert median([4, 1, 3, 2]) == 2.5
"""


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    root = write_demo_repo(tmp_path_factory.mktemp("pkg") / "calc", buggy=False)
    (root / "calc" / "core.py").write_text((root / "calc" / "core.py").read_text() + EXTRA)
    (root / "tests" / "test_core.py").write_text(
        (root / "tests" / "test_core.py").read_text() + EXTRA_TESTS
    )
    return root


def test_generation_is_deterministic_and_tasks_pass_the_gate(backend, package, tmp_path):
    source = PackageSource(path=package)
    first = generate_repo_tasks(source, range(0, 2), "train", tmp_path / "a", backend)
    again = generate_repo_tasks(source, range(0, 2), "train", tmp_path / "b", backend)
    assert [p.name for p in first] == ["calc-train-000000", "calc-train-000001"]
    assert [_files(p) for p in first] == [_files(p) for p in again]
    task = load_task(first[0])
    config = repo_config(task)
    meta = task.config.metadata.model_extra
    assert meta["split"] == "train" and meta["operator"] and meta["family"] == "repo-mutation"
    assert config.fail_to_pass and not set(config.fail_to_pass) & set(config.pass_to_pass)
    assert len(config.fail_to_pass) + len(config.pass_to_pass) == 14
    bug = (task.path / "environment" / "bug.patch").read_text()
    assert bug.startswith("diff --git a/calc/core.py b/calc/core.py")
    issue = task.instruction
    for test_id in config.fail_to_pass[:3]:
        assert f"`{test_id}`" in issue
    assert "calc/core.py" not in issue and "line " not in issue.lower()
    result = check_task(task, backend)
    assert result.passed, result.problems


def test_splits_never_share_a_function(package):
    source = PackageSource(path=package)
    sites = file_sites("calc/core.py", (package / "calc" / "core.py").read_text())
    by_function: dict[str, set[str]] = {}
    for site in sites:
        by_function.setdefault(site.function, set()).add(function_split(source, site))
    assert all(len(splits) == 1 for splits in by_function.values())
    assert {s for splits in by_function.values() for s in splits} <= {"train", "test"}


def test_issue_text_names_tests_not_locations():
    message = clean_message(
        "AssertionError: assert <Foo object at 0x7f12ab34cd> == 3\n+  where ... /testbed/src/"
        "pkg/core.py:12"
    )
    assert message == "AssertionError: assert <Foo object at 0x...> == 3"
    assert clean_message("ValueError: bad value in /testbed/src/pkg/core.py:40") == (
        "ValueError: bad value in <file>"
    )
    text = issue_text(
        PackageSource("demo", "1.0"), [("tests/test_a.py::test_x", "boom"), ("tests/t.py::y", "")]
    )
    assert text.startswith("`test_x` fails (and 1 other test)")
    assert "demo 1.0" in text and "python -m pytest tests/test_a.py::test_x tests/t.py::y" in text


def test_cli_validates_arguments(tmp_path):
    result = runner.invoke(app, ["generate", "repo", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "exactly one of --package" in result.output
    result = runner.invoke(app, ["generate", "repo", "--package", "attrs", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "NAME==VERSION" in result.output
    result = runner.invoke(
        app, ["generate", "repo", "--package", "a==1", "--split", "dev", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "unknown split" in result.output
