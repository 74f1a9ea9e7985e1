"""Task loading: valid Harbor tasks load; every error names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolgym.task import TaskLoadError, load_task, load_tasks, parse_size_mb, resolve_task_paths


def test_loads_a_harbor_task_and_keeps_unknown_keys(make_task):
    path = make_task(
        toml='version = "1.0"\nsource = "tb2"\n[metadata]\ncategory = "git"\n'
        'difficulty = "hard"\ntags = ["a"]\ncustom = 3\n[verifier]\ntimeout_sec = 30\n'
        '[agent]\ntimeout_sec = 90.0\n[environment]\ncpus = 2\nmemory = "2G"\n'
        'storage_mb = 10240\nallow_internet = false\nbuild_timeout_sec = 100\nextra_key = "x"\n'
        '[solution]\nenv = {A = "1"}\n'
    )
    task = load_task(path)
    assert task.id == "suite/demo"
    assert task.category == "git" and task.difficulty == "hard"
    assert task.config.verifier.timeout_sec == 30
    assert task.config.agent.timeout_sec == 90
    assert task.config.environment.memory_mb == 2048
    assert task.config.environment.storage_mb == 10240
    assert task.config.environment.cpus == 2
    assert task.config.model_extra == {"source": "tb2", "solution": {"env": {"A": "1"}}}
    assert task.config.metadata.model_extra == {"custom": 3}
    assert task.config.environment.model_extra == {"extra_key": "x"}
    assert task.instruction.startswith("Write hello")


def test_defaults_when_sections_are_missing(make_task):
    task = load_task(make_task(toml=""))
    assert task.config.verifier.timeout_sec == 120
    assert task.config.agent.timeout_sec == 600
    assert task.config.environment.allow_internet is False


@pytest.mark.parametrize(
    ("toml", "field", "words"),
    [
        ("[verifier]\ntimeout_sec = -1\n", "[verifier].timeout_sec", "greater than 0"),
        ("[agent]\ntimeout_sec = 'soon'\n", "[agent].timeout_sec", "valid number"),
        ("[environment]\ncpus = 'many'\n", "[environment].cpus", "valid number"),
        ("[metadata]\ntags = 'one'\n", "[metadata].tags", "valid list"),
        ("[verifier]\nenv = {A = 1}\n", "[verifier.env].A", "valid string"),
    ],
)
def test_bad_fields_name_file_and_field(make_task, toml, field, words):
    path = make_task(toml=toml)
    with pytest.raises(TaskLoadError) as info:
        load_task(path)
    message = str(info.value)
    assert str(path / "task.toml") in message
    assert field in message
    assert words in message


def test_bad_size_string_is_reported(make_task):
    with pytest.raises(TaskLoadError, match="expected a size like"):
        load_task(make_task(toml='[environment]\nmemory = "lots"\n'))


def test_invalid_toml_names_the_line(make_task):
    path = make_task(toml="[verifier\ntimeout_sec = 3\n")
    with pytest.raises(TaskLoadError, match=r"task\.toml: invalid TOML.*line 1"):
        load_task(path)


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        ("task.toml", "task.toml: missing"),
        ("instruction.md", "instruction.md: missing"),
        ("environment/Dockerfile", "Dockerfile: missing"),
        ("tests/test.sh", "test.sh: missing"),
    ],
)
def test_missing_files_are_named(make_task, remove, expected):
    path = make_task()
    (path / remove).unlink()
    with pytest.raises(TaskLoadError, match=expected):
        load_task(path)


def test_empty_instruction_is_refused(make_task):
    with pytest.raises(TaskLoadError, match=r"instruction\.md: empty"):
        load_task(make_task(instruction="  \n"))


def test_not_a_directory(tmp_path: Path):
    with pytest.raises(TaskLoadError, match="not a directory"):
        load_task(tmp_path / "nope")


def test_suite_resolution_and_builtin_names(make_task, tmp_path):
    make_task("a")
    make_task("b")
    suite = tmp_path / "suite"
    assert [p.name for p in resolve_task_paths(suite)] == ["a", "b"]
    assert [t.id for t in load_tasks(suite)] == ["suite/a", "suite/b"]
    assert resolve_task_paths("shell"), "the built-in shell suite resolves by name"
    with pytest.raises(TaskLoadError, match="no such task directory"):
        resolve_task_paths("no-such-suite-anywhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(TaskLoadError, match="holds no task directories"):
        resolve_task_paths(tmp_path / "empty")


@pytest.mark.parametrize(
    ("text", "mb"), [("2G", 2048), ("512M", 512), ("1.5GiB", 1536), (4096, 4096), ("1T", 1048576)]
)
def test_size_parsing(text, mb):
    assert parse_size_mb(text) == mb
