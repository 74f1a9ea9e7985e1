"""The built-in corpus and the shipped search suite: every question passes the gate on it.

The built-in index is built once per test session into a private cache, without manual pages
(CI machines may have none; no shipped question depends on them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolgym.check import check_task
from toolgym.cli import app
from toolgym.search.builtin import (
    build_builtin_index,
    builtin_index_dir,
    builtin_is_current,
    pydoc_topics,
    resolve_index,
)
from toolgym.search.index import open_index
from toolgym.search.normalize import normalize_answer
from toolgym.search.spec import search_spec
from toolgym.task import load_tasks, resolve_task_paths

runner = CliRunner()
SUITE = resolve_task_paths("search")


# Search needs no sandbox: the gate and eval must work where bubblewrap is missing.
pytestmark = pytest.mark.usefixtures("no_sandbox")


@pytest.fixture(scope="session")
def builtin_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("toolgym-cache")
    build_builtin_index(root / "indexes" / "builtin", man=False)
    return root


@pytest.fixture
def cache(builtin_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TOOLGYM_CACHE", str(builtin_cache))
    return builtin_cache


def test_builtin_corpus_has_topics_modules_and_members(cache):
    index = open_index(resolve_index("builtin"))
    assert index.path == builtin_index_dir().resolve() and builtin_is_current(index.path)
    assert index.manifest["builtin"]["man_pages"] is False
    ids = set(index.ids)
    assert {"topic/assert", "module/json", "api/json.dumps", "api/heapq.heappush"} <= ids
    assert not any(i.startswith(("module/test.", "module/idlelib", "man/")) for i in ids)
    assert len(list(pydoc_topics())) >= 70 and len(index) > 2000
    assert index.search("assert statement debug", 3)[0].id == "topic/assert"


def test_suite_is_large_and_mixed():
    tasks = load_tasks("search")
    assert len(tasks) >= 60 and len({t.id for t in tasks}) == len(tasks)
    categories = {t.category for t in tasks}
    assert {"single-hop", "two-hop"} <= categories
    assert sum(t.category == "two-hop" for t in tasks) >= 12
    for task in tasks:
        spec = search_spec(task)
        assert spec.index == "builtin" and spec.support, task.id
        assert not any(i.startswith("man/") for i in spec.support), "no man page questions"


def _loose(text: str) -> str:
    """Normalised text with punctuation also as a word break (``width=70`` -> ``width 70``)."""
    split = re.sub(r"[^\w.-]", " ", text)
    return f" {normalize_answer(text)} {normalize_answer(split)} "


def test_every_answer_is_in_its_final_support_document(cache):
    index = open_index(resolve_index("builtin"))
    for task in load_tasks("search"):
        spec = search_spec(task)
        document = index.get(spec.support[-1])
        assert document is not None, f"{task.id}: {spec.support[-1]} missing"
        text = _loose(f"{document.title}\n{document.text}")
        found = [a for a in spec.answers if f" {normalize_answer(a)} " in text]
        assert found, f"{task.id}: none of {spec.answers} in {document.id}"
        for hop in spec.support[:-1]:
            assert hop in index, f"{task.id}: {hop} missing"


@pytest.mark.parametrize("path", SUITE, ids=[p.name.partition("#")[2] for p in SUITE])
def test_shipped_task_passes_the_gate(cache, path):
    result = check_task(path)
    assert result.passed, result.problems
    assert result.rewards["oracle"] == 1.0 and result.rewards["null"] == 0.0


def test_eval_oracle_on_the_shipped_suite(cache, tmp_path):
    out = tmp_path / "run"
    args = ["eval", "--tasks", "search", "--agent", "oracle", "--out", str(out), "-j", "4"]
    result = runner.invoke(app, [*args, "--no-progress"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["episodes_run"] == len(SUITE) and summary["errors"] == 0
    records = [json.loads(x) for x in (out / "trajectories.jsonl").read_text().splitlines()]
    assert all(r["reward"] == 1.0 for r in records)


def test_builtin_index_is_rebuilt_for_another_python(tmp_path):
    import sys

    manifest = {"format": 1, "builtin": {"python": "2.7.18", "builder": 1, "man_pages": True}}
    (tmp_path / "toolgym-index.json").write_text(json.dumps(manifest))
    assert not builtin_is_current(tmp_path)
    manifest["builtin"]["python"] = sys.version.split()[0]
    (tmp_path / "toolgym-index.json").write_text(json.dumps(manifest))
    assert builtin_is_current(tmp_path)
    assert not builtin_is_current(tmp_path / "missing")


def test_cli_builds_the_builtin_index(tmp_path):
    out = tmp_path / "builtin"
    result = runner.invoke(app, ["index", "build", "--builtin", "--no-man", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "indexed" in result.output and builtin_is_current(out)
    result = runner.invoke(app, ["search", str(out), "nonlocal statement", "-k", "1"])
    assert result.output.startswith("topic/nonlocal\t"), result.output
