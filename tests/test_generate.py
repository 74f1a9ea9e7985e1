"""Procedural generators: byte-identical per seed, disjoint splits, every family passes the gate."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolgym.check import check_task
from toolgym.cli import app
from toolgym.generate import SHELL_FAMILIES, get_family, split_seed, write_task
from toolgym.task import load_task

FAMILIES = sorted(SHELL_FAMILIES)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() + oct(p.stat().st_mode).encode()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def fingerprint(root: Path) -> str:
    """What makes a task itself: everything but its directory name and task.toml's seed line."""
    digest = hashlib.sha256()
    for rel, data in tree_bytes(root).items():
        if rel != "task.toml":
            digest.update(rel.encode() + b"\0" + data)
    return digest.hexdigest()


def test_at_least_eight_families():
    assert len(FAMILIES) >= 8, FAMILIES


@pytest.mark.parametrize("name", FAMILIES)
def test_same_seed_same_bytes(name, tmp_path):
    family = get_family(name)
    first = write_task(family, "train", 7, tmp_path / "a")
    second = write_task(family, "train", 7, tmp_path / "b")
    assert tree_bytes(first) == tree_bytes(second)
    other = write_task(family, "train", 8, tmp_path / "a")
    assert fingerprint(other) != fingerprint(first)


@pytest.mark.parametrize("name", FAMILIES)
def test_train_and_test_splits_are_disjoint(name, tmp_path):
    family = get_family(name)
    train = {fingerprint(write_task(family, "train", s, tmp_path / "train")) for s in range(25)}
    test = {fingerprint(write_task(family, "test", s, tmp_path / "test")) for s in range(25)}
    assert len(train) == 25 and len(test) == 25, "tasks within a split differ"
    assert not train & test, "a test-split task equals a train-split task"


@pytest.mark.parametrize("name", FAMILIES)
@pytest.mark.parametrize("split", ["train", "test"])
def test_generated_tasks_pass_the_gate(name, split, tmp_path, backend):
    path = write_task(get_family(name), split, 3, tmp_path)
    task = load_task(path)
    assert task.category and task.difficulty in ("easy", "medium", "hard")
    result = check_task(task, backend)
    assert result.passed, "\n".join(result.problems)


def test_split_seed_ranges():
    assert split_seed("train", 0) == 0
    assert split_seed("test", 0) == 1_000_000_000
    with pytest.raises(ValueError, match="unknown split"):
        split_seed("dev", 0)
    with pytest.raises(ValueError, match="seed must be in"):
        split_seed("train", -1)
    with pytest.raises(ValueError, match="unknown family"):
        get_family("nope")


def test_cli_generate(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "generate",
            "shell",
            "--family",
            FAMILIES[0],
            "--seed",
            "5",
            "--count",
            "3",
            "--split",
            "test",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"{FAMILIES[0]}-test-00000{i}" for i in (5, 6, 7)]
    assert "wrote 3 task(s)" in result.output
    listing = runner.invoke(app, ["generate", "families"])
    assert all(name in listing.output for name in FAMILIES)
    bad = runner.invoke(app, ["generate", "shell", "--family", "nope", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "unknown family" in bad.output
