"""Environments (``toolgym.envs``), registered with Gymnasium under the ``toolgym/`` namespace.

``import toolgym`` registers them; ``gym.make("toolgym:toolgym/Shell-v0", task=...)`` imports
toolgym on the fly. A task names the environment that runs it in ``task.toml``::

    [toolgym]
    environment = "shell"     # the default, so Harbor tasks need nothing
"""

from __future__ import annotations

import importlib
import inspect
import warnings
from dataclasses import dataclass
from typing import Any

import gymnasium as gym
from toolgym.envs.base import ToolEnv, ToolOutput, ToolResult, ToolText
from toolgym.envs.repo import RepoEnv
from toolgym.envs.search import SearchEnv
from toolgym.envs.shell import ShellEnv
from toolgym.envs.sql import SqlEnv

from toolgym.task import Task


@dataclass(frozen=True)
class EnvironmentSpec:
    """A tool environment: its short name (used in task.toml), Gymnasium id and class."""

    name: str
    gym_id: str
    entry_point: str  # "module:Class"

    def load(self) -> type[ToolEnv]:
        module, _, attribute = self.entry_point.partition(":")
        return getattr(importlib.import_module(module), attribute)


ENVIRONMENTS: dict[str, EnvironmentSpec] = {
    "shell": EnvironmentSpec("shell", "toolgym/Shell-v0", "toolgym.envs.shell:ShellEnv"),
    "repo": EnvironmentSpec("repo", "toolgym/Repo-v0", "toolgym.envs.repo:RepoEnv"),
    "search": EnvironmentSpec("search", "toolgym/Search-v0", "toolgym.envs.search:SearchEnv"),
    "sql": EnvironmentSpec("sql", "toolgym/Sql-v0", "toolgym.envs.sql:SqlEnv"),
}
#: Where each environment comes from: "toolgym" for the built-in ones, else the package name.
SOURCES: dict[str, str] = dict.fromkeys(ENVIRONMENTS, "toolgym")

__all__ = [
    "ENVIRONMENTS",
    "SOURCES",
    "EnvironmentSpec",
    "RepoEnv",
    "SearchEnv",
    "ShellEnv",
    "SqlEnv",
    "ToolEnv",
    "ToolOutput",
    "ToolResult",
    "ToolText",
    "environment_class",
    "environment_name",
    "make_env",
    "register_envs",
]


def _add_plugins() -> None:
    """Environments that installed packages declare (``toolgym.envs`` entry points).

    A broken plugin must not break ``import toolgym`` for everything else: its problem becomes
    a warning naming the package, and its environment is left out.
    """
    from toolgym.plugins import PluginError, gym_id_for, plugin_environments

    try:
        plugins = plugin_environments()
    except PluginError as exc:
        warnings.warn(f"toolgym plugins not loaded: {exc}", stacklevel=2)
        return
    for plugin in plugins:
        taken = ENVIRONMENTS.get(plugin.name)
        if taken is not None and taken.entry_point != plugin.entry_point:
            warnings.warn(
                f"{plugin.package}: environment name {plugin.name!r} is taken by "
                f"{taken.entry_point} ({SOURCES[plugin.name]}); the plugin's is left out",
                stacklevel=2,
            )
            continue
        ENVIRONMENTS[plugin.name] = EnvironmentSpec(
            plugin.name, gym_id_for(plugin.name), plugin.entry_point
        )
        SOURCES[plugin.name] = plugin.package


def register_envs() -> None:
    """Register every known environment, built-in and plugin, with Gymnasium (idempotent)."""
    _add_plugins()
    for spec in ENVIRONMENTS.values():
        if spec.gym_id not in gym.registry:
            # No step limit from Gymnasium: the environment owns its budgets and reports them.
            gym.register(id=spec.gym_id, entry_point=spec.entry_point)


def environment_name(task: Task) -> str:
    """The environment a task asks for (``[toolgym] environment``; ``shell`` by default)."""
    section = (task.config.model_extra or {}).get("toolgym") or {}
    name = section.get("environment", "shell") if isinstance(section, dict) else "shell"
    if name not in ENVIRONMENTS:
        known = ", ".join(sorted(ENVIRONMENTS))
        where = task.path if "#" in task.path.name else task.path / "task.toml"
        raise ValueError(
            f"{where}: [toolgym].environment: unknown environment {name!r} (known: {known})"
        )
    return name


def environment_class(task: Task) -> type[ToolEnv]:
    return ENVIRONMENTS[environment_name(task)].load()


def make_env(task: Task, **options: Any) -> ToolEnv:
    """The environment for ``task``; options it does not take are left out (a search index
    needs no sandbox backend, for instance)."""
    cls = environment_class(task)
    accepted = inspect.signature(cls.__init__).parameters
    return cls(task, **{k: v for k, v in options.items() if k in accepted})
