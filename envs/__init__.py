"""Environments (``toolgym.envs``), registered with Gymnasium under the ``toolgym/`` namespace.

``import toolgym`` registers them; ``gym.make("toolgym:toolgym/Shell-v0", task=...)`` imports
toolgym on the fly. A task names the environment that runs it in ``task.toml``::

    [toolgym]
    environment = "shell"     # the default, so Harbor tasks need nothing
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any

import gymnasium as gym
from toolgym.envs.base import ToolEnv, ToolOutput, ToolResult, ToolText
from toolgym.envs.shell import ShellEnv

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
}

__all__ = [
    "ENVIRONMENTS",
    "EnvironmentSpec",
    "ShellEnv",
    "ToolEnv",
    "ToolOutput",
    "ToolResult",
    "ToolText",
    "environment_class",
    "environment_name",
    "make_env",
    "register_envs",
]


def register_envs() -> None:
    """Register every known environment with Gymnasium (idempotent)."""
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
        raise ValueError(
            f"{task.path / 'task.toml'}: [toolgym].environment: unknown environment "
            f"{name!r} (known: {known})"
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
