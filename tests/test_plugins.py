"""The plugin registry: entry points become environments and suites; broken plugins are
reported by package and left out, never breaking toolgym for everything else."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import toolgym.plugins as plugins
from toolgym import envs
from toolgym.plugins import PluginError, gym_id_for, plugin_suites, suite_path
from toolgym.task import TaskLoadError, load_task, resolve_task_paths

TASKS_DIR = Path(__file__).parent.parent / "tasks" / "shell"


def _fake_entry_points(monkeypatch: pytest.MonkeyPatch, groups: dict[str, list[EntryPoint]]):
    monkeypatch.setattr(plugins, "entry_points", lambda group: groups.get(group, []))


@pytest.mark.parametrize(
    ("name", "gym_id"),
    [("kv-store", "toolgym/KvStore-v0"), ("sql", "toolgym/Sql-v0"), ("a-b-c", "toolgym/ABC-v0")],
)
def test_gym_ids_are_camel_case(name: str, gym_id: str) -> None:
    assert gym_id_for(name) == gym_id


def test_plugin_environment_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    import gymnasium as gym

    entry = EntryPoint("echo-plugin", "toolgym.envs.shell:ShellEnv", "toolgym.envs")
    _fake_entry_points(monkeypatch, {"toolgym.envs": [entry]})
    monkeypatch.setattr(envs, "ENVIRONMENTS", dict(envs.ENVIRONMENTS))
    monkeypatch.setattr(envs, "SOURCES", dict(envs.SOURCES))
    envs.register_envs()
    assert envs.ENVIRONMENTS["echo-plugin"].gym_id == "toolgym/EchoPlugin-v0"
    assert "toolgym/EchoPlugin-v0" in gym.registry
    gym.registry.pop("toolgym/EchoPlugin-v0")


def test_bad_entry_point_names_are_left_out_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_entry_points(
        monkeypatch,
        {
            "toolgym.suites": [
                EntryPoint("Bad Name", "x:y", "toolgym.suites"),
                EntryPoint("fine", "toolgym.task:builtin_tasks_root", "toolgym.suites"),
            ]
        },
    )
    with pytest.warns(UserWarning, match="'Bad Name'.*left out"):
        names = [suite.name for suite in plugin_suites()]
    assert names == ["fine"]


def test_a_plugin_cannot_take_a_builtin_name(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = EntryPoint("shell", "somewhere.else:Impostor", "toolgym.envs")
    _fake_entry_points(monkeypatch, {"toolgym.envs": [entry]})
    monkeypatch.setattr(envs, "ENVIRONMENTS", dict(envs.ENVIRONMENTS))
    monkeypatch.setattr(envs, "SOURCES", dict(envs.SOURCES))
    with pytest.warns(UserWarning, match="'shell' is taken"):
        envs.register_envs()
    assert envs.ENVIRONMENTS["shell"].entry_point == "toolgym.envs.shell:ShellEnv"


def test_plugin_suite_resolves_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugins, "_TEST_SUITE", TASKS_DIR, raising=False)
    entry = EntryPoint("my-suite", "toolgym.plugins:_TEST_SUITE", "toolgym.suites")
    _fake_entry_points(monkeypatch, {"toolgym.suites": [entry]})
    assert suite_path("my-suite") == TASKS_DIR
    assert resolve_task_paths("my-suite") == resolve_task_paths(TASKS_DIR)
    assert suite_path("other") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("no_such_module_here:TASKS", "No module named 'no_such_module_here'"),
        ("toolgym.plugins:NOT_THERE", "NOT_THERE"),
        ("toolgym.plugins:ENV_GROUP", "not a folder"),
    ],
)
def test_broken_suite_names_the_package(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    _fake_entry_points(monkeypatch, {"toolgym.suites": [EntryPoint("s", value, "toolgym.suites")]})
    with pytest.raises(PluginError, match=message):
        suite_path("s")


def test_unknown_environment_in_a_task_names_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "task.toml").write_text('[toolgym]\nenvironment = "not-installed"\n')
    (tmp_path / "instruction.md").write_text("Do it.\n")
    with pytest.raises(TaskLoadError) as caught:
        load_task(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "task.toml") in message
    assert "toolgym.environment" in message and "'not-installed'" in message


def test_in_process_environment_tasks_need_no_dockerfile(tmp_path: Path) -> None:
    (tmp_path / "task.toml").write_text(
        '[toolgym]\nenvironment = "search"\n[search]\nanswers = ["x"]\nindex = "builtin"\n'
    )
    (tmp_path / "instruction.md").write_text("Question?\n")
    load_task(tmp_path)  # no environment/Dockerfile, no tests/test.sh: fine for search
    (tmp_path / "task.toml").write_text("[metadata]\n")  # a shell task: both are required
    with pytest.raises(TaskLoadError, match="Dockerfile"):
        load_task(tmp_path)
