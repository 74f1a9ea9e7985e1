"""Third-party environments and task suites, found through package entry points.

A package adds to toolgym by declaring, in its ``pyproject.toml``::

    [project.entry-points."toolgym.envs"]
    kv-store = "my_package.env:KvStoreEnv"        # a ToolEnv subclass

    [project.entry-points."toolgym.suites"]
    kv-store = "my_package:TASKS_DIR"             # a path (str or Path) to a folder of tasks

After ``pip install``, the environment is registered with Gymnasium as ``toolgym/KvStore-v0``
(the name in CamelCase), tasks pick it with ``[toolgym] environment = "kv-store"``, and the
suite resolves by name anywhere a task path is accepted (``toolgym eval --tasks kv-store``).
Nothing of a plugin is imported until it is used.
"""

from __future__ import annotations

import importlib
import re
import warnings
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

ENV_GROUP = "toolgym.envs"
SUITE_GROUP = "toolgym.suites"
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class PluginError(ValueError):
    """A plugin entry point that cannot be used, naming the package and the entry."""


def gym_id_for(name: str) -> str:
    """``kv-store`` -> ``toolgym/KvStore-v0``."""
    return "toolgym/" + "".join(part.capitalize() for part in name.split("-")) + "-v0"


@dataclass(frozen=True)
class PluginEnvironment:
    name: str
    entry_point: str
    package: str


@dataclass(frozen=True)
class PluginSuite:
    name: str
    entry_point: str
    package: str

    def path(self) -> Path:
        module, _, attribute = self.entry_point.partition(":")
        try:
            value = getattr(importlib.import_module(module), attribute) if attribute else None
        except (ImportError, AttributeError) as exc:
            raise PluginError(
                f"{self.package}: suite {self.name!r} ({self.entry_point}): {exc}"
            ) from None
        if value is None:  # a bare module: its folder's tasks/
            value = Path(importlib.import_module(module).__file__ or ".").parent / "tasks"
        path = Path(value() if callable(value) else value)
        if not path.is_dir():
            raise PluginError(
                f"{self.package}: suite {self.name!r} points at {path}, which is not a folder"
            )
        return path


def _entries(group: str) -> list[tuple[str, str, str]]:
    found = []
    for entry in entry_points(group=group):
        package = entry.dist.name if entry.dist is not None else "unknown package"
        if not _NAME.match(entry.name):  # one bad entry must not hide the others
            warnings.warn(
                f"{package}: entry point {entry.name!r} in {group!r} is left out: names are "
                "lowercase words joined by hyphens, like 'kv-store'",
                stacklevel=3,
            )
            continue
        found.append((entry.name, entry.value, package))
    return sorted(found)


def plugin_environments() -> list[PluginEnvironment]:
    return [PluginEnvironment(*entry) for entry in _entries(ENV_GROUP)]


def plugin_suites() -> list[PluginSuite]:
    return [PluginSuite(*entry) for entry in _entries(SUITE_GROUP)]


def suite_path(name: str) -> Path | None:
    """The folder of the plugin suite called ``name``, if a plugin provides one."""
    for suite in plugin_suites():
        if suite.name == name:
            return suite.path()
    return None
