"""The ``[repo]`` section of a repository task's ``task.toml``: where the code comes from, how
its tests run, and which tests decide the reward.

A repository task is a Harbor task directory whose ``task.toml`` says::

    [toolgym]
    environment = "repo"

    [repo]
    package = "cachetools"          # a PyPI sdist (it ships the tests) ...
    version = "8.0.2"
    # path = "../upstream"          # ... or a local directory / git checkout
    # git = "https://host/x.git"    # ... or a git URL (cloned once, at prepare time)
    # base_commit = "1a2b3c"        # for git sources: the commit the agent starts from
    bug_patch = "environment/bug.patch"   # optional: applied before the base commit is made
    fail_to_pass = ["tests/test_lru.py::test_evict"]
    pass_to_pass = ["tests/test_lru.py::test_get"]

Everything is pinned (the sdist by version and optionally by digest, test requirements by exact
version), so the same task always builds the same environment.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from toolgym.task import Task, TaskLoadError

REPO_SECTION = "repo"
DEFAULT_WORKDIR = "/testbed"
# What the tests need, pinned by exact version (pytest and its dependencies on Python 3.11).
DEFAULT_REQUIREMENTS = (
    "pytest==8.3.4",
    "pluggy==1.5.0",
    "iniconfig==2.0.0",
    "packaging==24.2",
)
# Installs the requirements offline inside the template (run from its own wheel).
PIP_REQUIREMENT = "pip==24.3.1"
DEFAULT_TEST_COMMAND = "python -P -m pytest -p no:cacheprovider"
_PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!_-]+$")
_PACKAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class RepoConfig(BaseModel):
    """A validated ``[repo]`` section (unknown keys are refused: a typo must not go unseen)."""

    model_config = ConfigDict(extra="forbid")

    package: str | None = None
    version: str | None = None
    sha256: str | None = None
    path: str | None = None
    git: str | None = None
    base_commit: str | None = None
    bug_patch: str | None = None
    workdir: str = DEFAULT_WORKDIR
    python_path: list[str] | None = None
    requirements: list[str] = Field(default_factory=lambda: list(DEFAULT_REQUIREMENTS))
    test_command: str = DEFAULT_TEST_COMMAND
    test_files: list[str] | None = None
    test_paths: list[str] = Field(default_factory=list)
    fail_to_pass: list[str] = Field(min_length=1)
    pass_to_pass: list[str] = Field(default_factory=list)

    @field_validator("package")
    @classmethod
    def _package_name(cls, value: str | None) -> str | None:
        if value is not None and not _PACKAGE.match(value):
            raise ValueError(f"not a package name: {value!r}")
        return value

    @field_validator("sha256")
    @classmethod
    def _digest(cls, value: str | None) -> str | None:
        if value is not None and not _SHA256.match(value.lower()):
            raise ValueError("expected 64 hex digits (the sdist's sha256)")
        return value.lower() if value else value

    @field_validator("requirements")
    @classmethod
    def _pinned(cls, value: list[str]) -> list[str]:
        loose = [r for r in value if not _PINNED.match(r.strip())]
        if loose:
            raise ValueError(f"pin every requirement by exact version (name==X.Y), got {loose}")
        return [r.strip() for r in value]

    @field_validator("workdir")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/") or value.rstrip("/") in ("", "/tmp", "/opt", "/usr", "/etc"):
            raise ValueError(f"expected an absolute, dedicated directory, got {value!r}")
        return value.rstrip("/")

    @field_validator("test_paths", "test_files", "python_path")
    @classmethod
    def _relative(cls, value: list[str] | None) -> list[str] | None:
        for item in value or []:
            if item.startswith("/") or ".." in Path(item).parts:
                raise ValueError(f"expected a path inside the repository, got {item!r}")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> RepoConfig:
        sources = [name for name in ("package", "path", "git") if getattr(self, name)]
        if len(sources) != 1:
            raise ValueError(
                "name exactly one source: package (+ version), path, or git "
                f"(got {', '.join(sources) or 'none'})"
            )
        if self.package and not self.version:
            raise ValueError("a PyPI package needs a version (pin it: version = '1.2.3')")
        if self.git and not self.base_commit:
            raise ValueError("a git source needs base_commit")
        overlap = set(self.fail_to_pass) & set(self.pass_to_pass)
        if overlap:
            raise ValueError(
                f"tests listed in both fail_to_pass and pass_to_pass: {sorted(overlap)}"
            )
        return self

    # -- derived ----------------------------------------------------------------------------
    @property
    def test_ids(self) -> list[str]:
        return [*self.fail_to_pass, *self.pass_to_pass]

    def files_to_run(self) -> list[str]:
        """The test files the grader runs: ``test_files``, else the files of the test ids."""
        if self.test_files:
            return list(self.test_files)
        return list(dict.fromkeys(test_id.split("::", 1)[0] for test_id in self.test_ids))

    def source_label(self) -> str:
        if self.package:
            return f"{self.package}=={self.version}"
        return self.git or self.path or "?"


class RepoPrepareError(TaskLoadError):
    """A repository task whose code or test environment cannot be prepared."""


def repo_config(task: Task) -> RepoConfig:
    """The task's ``[repo]`` section, validated; errors name ``task.toml`` and the field."""
    toml = task.path / "task.toml"
    raw = (task.config.model_extra or {}).get(REPO_SECTION)
    if not isinstance(raw, dict):
        raise TaskLoadError(toml, "a repo task needs a [repo] table", field="[repo]")
    try:
        return RepoConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"])
        where = f"[repo].{loc}" if loc else "[repo]"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] not in ("missing",) and "input" in first and loc:
            message += f" (got {first['input']!r})"
        raise TaskLoadError(toml, message, field=where) from None


def task_file(task: Task, relative: str, field: str) -> Path:
    """A file the task names in ``[repo]``, resolved inside the task directory."""
    path = (task.path / relative).resolve()
    if task.path.resolve() not in path.parents:
        raise TaskLoadError(task.path / "task.toml", f"{relative!r} lies outside the task", field)
    if not path.is_file():
        raise TaskLoadError(task.path / "task.toml", f"{path} does not exist", field)
    return path
