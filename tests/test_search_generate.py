"""Synthetic multi-hop search questions: byte-identical per seed, disjoint splits, gate-clean."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolgym.check import check_task
from toolgym.cli import app
from toolgym.search.generator import entity_name, generate_question, write_search_tasks
from toolgym.task import load_tasks

runner = CliRunner()


# Search needs no sandbox: the gate and eval must work where bubblewrap is missing.
pytestmark = pytest.mark.usefixtures("no_sandbox")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    write_search_tasks(tmp_path / "a", split="train", seed=5, count=12)
    write_search_tasks(tmp_path / "b", split="train", seed=5, count=12)
    first = tree(tmp_path / "a")
    assert first == tree(tmp_path / "b")
    assert {"corpus.jsonl", "search-train.jsonl", "index/toolgym-index.json"} <= set(first)
    write_search_tasks(tmp_path / "a", split="train", seed=6, count=12)  # rewrite in place
    assert tree(tmp_path / "a") != first


def test_a_question_does_not_depend_on_its_batch():
    alone, _ = generate_question("test", 7)
    rows = [generate_question("test", s)[0] for s in range(5, 10)]
    assert rows[2] == alone


def test_train_and_test_splits_are_disjoint():
    def world(split: str, seed: int) -> tuple[str, set[str]]:
        question, docs = generate_question(split, seed)
        return question.question, {d.title for d in docs}

    train = [world("train", s) for s in range(40)]
    test = [world("test", s) for s in range(40)]
    assert len({q for q, _ in train}) == 40 and len({q for q, _ in test}) == 40
    assert not {q for q, _ in train} & {q for q, _ in test}
    train_names = set().union(*(names for _, names in train))
    test_names = set().union(*(names for _, names in test))
    assert not train_names & test_names, "an entity appears in both splits"


def test_names_are_unique_per_code():
    names = [entity_name(code) for code in range(50_000)]
    assert len(set(names)) == len(names)
    with pytest.raises(ValueError, match="out of range"):
        entity_name(-1)


def test_questions_chain_through_their_support(tmp_path):
    write_search_tasks(tmp_path, split="test", seed=0, count=30)
    rows = [json.loads(x) for x in (tmp_path / "search-test.jsonl").read_text().splitlines()]
    docs = {
        d["id"]: d for d in map(json.loads, (tmp_path / "corpus.jsonl").read_text().splitlines())
    }
    assert {len(r["support"]) for r in rows} == {2, 3}, "two- and three-hop questions"
    for row in rows:
        chain = [docs[i] for i in row["support"]]
        assert row["answers"][0] in chain[-1]["text"], row
        assert chain[0]["title"].removeprefix("The ") in row["question"], row
        for here, there in itertools.pairwise(chain):
            assert there["title"].removeprefix("The ") in here["text"], "each hop names the next"


def test_generated_tasks_pass_the_gate(tmp_path):
    write_search_tasks(tmp_path, split="train", seed=100, count=8)
    tasks = load_tasks(tmp_path)
    assert len(tasks) == 8 and all(t.suite == "search-train" for t in tasks)
    for task in tasks:
        result = check_task(task)
        assert result.passed, result.problems


def test_cli_generate(tmp_path):
    args = ["generate", "search", "--seed", "3", "--count", "4", "--split", "test"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert "wrote 4 question(s)" in result.output
    assert len(load_tasks(tmp_path / "g" / "search-test.jsonl")) == 4
    result = runner.invoke(app, ["generate", "search", "--split", "dev", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "unknown split 'dev'" in result.output
