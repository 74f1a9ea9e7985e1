"""``toolgym new``: starting points for contributors, and the check that they were filled in.

* :func:`new_env_package` writes a pip-installable package holding a working environment (a
  :class:`~toolgym.envs.ToolEnv` subclass), a small task suite, the entry points that register
  both with toolgym, and a test that runs the conformance kit over the suite.
* :func:`new_task` writes a task directory for any environment, from the environment's
  :meth:`~toolgym.envs.ToolEnv.task_template`. Every place the author must fill in holds
  :data:`~toolgym.task.SCAFFOLD_MARKER`; :func:`unfilled_markers` finds the ones left, and
  ``toolgym check`` refuses such a task, naming each file and line.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from toolgym.plugins import gym_id_for
from toolgym.task import SCAFFOLD_MARKER, TASK_FILE

TEMPLATES = Path(__file__).parent / "templates" / "env_package"
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_TEXT_SUFFIXES = {"", ".md", ".toml", ".sh", ".py", ".txt", ".json", ".jsonl", ".sql", ".cfg"}


class ScaffoldError(ValueError):
    """A name or destination ``toolgym new`` cannot use."""


def _check_name(name: str, what: str) -> None:
    if not _NAME.match(name):
        raise ScaffoldError(
            f"{what} name {name!r}: use lowercase letters, digits and single hyphens, "
            "starting with a letter (e.g. 'kv-store')"
        )


def _write_new(root: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` under ``root``, which must not exist yet (nothing is overwritten)."""
    if root.exists():
        raise ScaffoldError(f"{root}: already exists (choose another name or --out)")
    written = []
    for relative, text in sorted(files.items()):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if path.suffix == ".sh":
            path.chmod(0o755)
        written.append(path)
    return written


def new_task(name: str, environment: str = "shell", out: Path | None = None) -> Path:
    """Write a task skeleton for ``environment`` at ``out`` (default ``./NAME``)."""
    from toolgym.envs import ENVIRONMENTS  # the registry, with installed plugins

    _check_name(name, "task")
    spec = ENVIRONMENTS.get(environment)
    if spec is None:
        known = ", ".join(sorted(ENVIRONMENTS))
        raise ScaffoldError(f"--env: unknown environment {environment!r} (known: {known})")
    root = Path(out) if out is not None else Path(name)
    _write_new(root, spec.load().task_template(name, environment))
    return root


def env_package_names(name: str) -> dict[str, str]:
    """The names a package for environment ``name`` uses (``kv-store`` -> ``toolgym-kv-store``,
    ``toolgym_kv_store``, ``KvStoreEnv``, ``toolgym/KvStore-v0``)."""
    _check_name(name, "environment")
    camel = "".join(part.capitalize() for part in name.split("-"))
    return {
        "name": name,
        "distribution": f"toolgym-{name}",
        "module": "toolgym_" + name.replace("-", "_"),
        "class_name": f"{camel}Env",
        "gym_id": gym_id_for(name),
    }


def env_package_files(name: str) -> dict[str, str]:
    """The files of a new environment package (path -> text)."""
    names = env_package_names(name)
    module = names["module"]

    def fill(template: str) -> str:
        return Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(names)

    files = {
        "pyproject.toml": fill("pyproject.toml.tmpl"),
        "README.md": fill("README.md.tmpl"),
        f"src/{module}/__init__.py": fill("init.py.tmpl"),
        f"src/{module}/env.py": fill("env.py.tmpl"),
        f"tests/test_{module}.py": fill("test_env.py.tmpl"),
    }
    suite = TEMPLATES / "suite"  # written as suites/NAME/, so the suite is called NAME
    for path in sorted(suite.rglob("*")):
        if path.is_file():
            relative = path.relative_to(suite)
            files[f"src/{module}/suites/{name}/{relative}"] = fill(f"suite/{relative}")
    return files


def new_env_package(name: str, out: Path | None = None) -> Path:
    """Write an installable environment package at ``out`` (default ``./toolgym-NAME``)."""
    names = env_package_names(name)
    root = Path(out) if out is not None else Path(names["distribution"])
    _write_new(root, env_package_files(name))
    return root


def unfilled_markers(task_path: Path) -> list[str]:
    """``FILE:LINE: text`` for every scaffold marker left in a task directory's text files."""
    root = Path(task_path)
    if not (root / TASK_FILE).is_file():
        return []  # a row of a task file, or not a task: nothing was scaffolded
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in _TEXT_SUFFIXES:
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(lines, 1):
            if SCAFFOLD_MARKER in line:
                found.append(f"{path}:{number}: fill in: {line.strip()[:160]}")
    return found
