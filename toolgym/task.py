"""Harbor-format task directories: schema, loading and validation.

A task is a directory laid out the way Harbor and Terminal-Bench 2 lay it out, so tasks move
between those tools and toolgym unchanged::

    task.toml            configuration ([metadata], [verifier], [agent], [environment], ...)
    instruction.md       what the agent is asked to do
    environment/         Dockerfile + build context: the agent's starting state
    solution/solve.sh    reference solution (used only by the oracle agent)
    tests/test.sh        verifier; writes /logs/verifier/reward.txt or reward.json

Every loading error is a :class:`TaskLoadError` that names the file and, where there is one,
the field at fault, because authors fix tasks from error messages.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

TASK_FILE = "task.toml"
INSTRUCTION_FILE = "instruction.md"
ENVIRONMENT_DIR = "environment"
DOCKERFILE = "Dockerfile"
SOLUTION_SCRIPT = Path("solution") / "solve.sh"
TEST_SCRIPT = Path("tests") / "test.sh"

SectionModel = TypeVar("SectionModel", bound=BaseModel)
#: Scaffolds (``toolgym new``) mark what an author must fill in; ``toolgym check`` refuses a
#: task that still holds one.
SCAFFOLD_MARKER = "TODO(toolgym)"

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b)?\s*$", re.IGNORECASE)
_SIZE_FACTOR_MB = {"": 1 / 2**20, "b": 1 / 2**20, "k": 1 / 1024, "m": 1, "g": 1024, "t": 1024**2}


class TaskLoadError(ValueError):
    """A task directory that cannot be used, with the file (and field) at fault."""

    def __init__(self, path: Path | str, message: str, field: str | None = None) -> None:
        self.path = Path(path)
        self.field = field
        self.reason = message
        where = f"{self.path}: {field}: " if field else f"{self.path}: "
        super().__init__(where + message)


def parse_size_mb(value: str | int | float) -> int:
    """Read a size such as ``"2G"``, ``"512M"``, ``"1.5GiB"`` or a plain number of MB."""
    if isinstance(value, bool):
        raise ValueError(f"expected a size like '2G' or a number of MB, got {value!r}")
    if isinstance(value, int | float):
        return int(value)
    match = _SIZE_RE.match(value)
    if not match:
        raise ValueError(f"expected a size like '2G' or '512M', got {value!r}")
    unit = (match.group(2) or "").lower()[:1]
    return max(1, int(float(match.group(1)) * _SIZE_FACTOR_MB[unit]))


class _Section(BaseModel):
    """A task.toml table: known keys are typed, unknown keys are kept (``model_extra``)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class MetadataConfig(_Section):
    difficulty: str | None = None
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    author_name: str | None = None
    author_email: str | None = None


class VerifierConfig(_Section):
    timeout_sec: float = Field(default=120.0, gt=0)
    env: dict[str, str] = Field(default_factory=dict)
    # toolgym extension: which key of reward.json is the main reward. Without it, a
    # reward.json with one key, or with a key named "reward", is unambiguous.
    reward_key: str | None = None


class AgentConfig(_Section):
    timeout_sec: float = Field(default=600.0, gt=0)


class EnvironmentConfig(_Section):
    build_timeout_sec: float = Field(default=600.0, gt=0)
    cpus: float | None = Field(default=None, gt=0)
    memory_mb: int | None = Field(default=None, gt=0)
    storage_mb: int | None = Field(default=None, gt=0)
    allow_internet: bool = False
    docker_image: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise_sizes(cls, data: Any) -> Any:
        """Accept Harbor's older spellings ``memory = "2G"`` and ``storage = "10G"``."""
        if isinstance(data, dict):
            data = dict(data)
            for old, new in (("memory", "memory_mb"), ("storage", "storage_mb")):
                if old in data and new not in data:
                    data[new] = parse_size_mb(data.pop(old))
        return data


class TaskConfig(_Section):
    version: str = "1.0"
    metadata: MetadataConfig = Field(default_factory=MetadataConfig)
    verifier: VerifierConfig = Field(default_factory=VerifierConfig)
    agent: AgentConfig = Field(default_factory=AgentConfig)
    environment: EnvironmentConfig = Field(default_factory=EnvironmentConfig)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


@dataclass(frozen=True)
class Task:
    """A loaded, validated task directory."""

    path: Path
    config: TaskConfig
    instruction: str
    suite: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The task's id: ``suite/name`` when it sits in a suite folder, else its name."""
        return f"{self.suite}/{self.name}" if self.suite else self.name

    @property
    def name(self) -> str:
        """The directory's name, or the row's id for a row of a task file (``FILE.jsonl#ID``,
        see :mod:`toolgym.task_rows`)."""
        return self.path.name.partition("#")[2] or self.path.name

    @property
    def base_dir(self) -> Path:
        """Where relative paths in the task resolve: its directory, or its task file's folder."""
        return self.path.parent if "#" in self.path.name else self.path

    @property
    def environment_dir(self) -> Path:
        return self.path / ENVIRONMENT_DIR

    @property
    def dockerfile(self) -> Path:
        return self.environment_dir / DOCKERFILE

    @property
    def solution_dir(self) -> Path:
        return self.path / "solution"

    @property
    def solution_script(self) -> Path:
        return self.path / SOLUTION_SCRIPT

    @property
    def tests_dir(self) -> Path:
        return self.path / "tests"

    @property
    def category(self) -> str:
        return self.config.metadata.category or ""

    @property
    def difficulty(self) -> str:
        return self.config.metadata.difficulty or ""


def _format_pydantic_error(error: ValidationError) -> tuple[str, str]:
    first = error.errors()[0]
    loc = [str(part) for part in first["loc"]]
    # "[verifier].timeout_sec" reads like the TOML the author wrote.
    if len(loc) > 1:
        where = f"[{'.'.join(loc[:-1])}].{loc[-1]}"
    elif loc:
        where = loc[0]
    else:
        where = "(top level)"
    message = first["msg"]
    if "input" in first and first["type"] != "missing":
        message += f" (got {first['input']!r})"
    more = len(error.errors()) - 1
    if more:
        message += f"; and {more} more problem(s)"
    return where, message


def load_task_config(path: Path) -> TaskConfig:
    """Parse and validate one ``task.toml``."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaskLoadError(path, "missing (every task needs a task.toml)") from None
    except UnicodeDecodeError as exc:
        raise TaskLoadError(path, f"not valid UTF-8: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TaskLoadError(path, f"invalid TOML: {exc}") from None
    try:
        return TaskConfig.model_validate(raw)
    except ValidationError as exc:
        where, message = _format_pydantic_error(exc)
        raise TaskLoadError(path, message, field=where) from None
    except ValueError as exc:  # raised by a "before" validator, e.g. a bad size string
        raise TaskLoadError(path, str(exc)) from None


def load_task(path: str | Path, suite: str | None = None) -> Task:
    """Load a task directory (or one row ``FILE.jsonl#ID`` of a task file), checking every
    file toolgym relies on."""
    from toolgym.task_rows import load_task_row, split_row_reference

    if (row := split_row_reference(path)) is not None:
        return load_task_row(*row)
    root = Path(path)
    if not root.is_dir():
        raise TaskLoadError(root, "not a directory (expected a Harbor task directory)")
    config = load_task_config(root / TASK_FILE)
    instruction_path = root / INSTRUCTION_FILE
    try:
        instruction = instruction_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaskLoadError(instruction_path, "missing (the agent's instruction)") from None
    except UnicodeDecodeError as exc:
        raise TaskLoadError(instruction_path, f"not valid UTF-8: {exc}") from None
    if not instruction.strip():
        raise TaskLoadError(instruction_path, "empty (the agent needs an instruction)")
    for relative, why in _required_files(root, config).items():
        if not (root / relative).is_file():
            raise TaskLoadError(root / relative, f"missing ({why})")
    if suite is None:
        suite = root.resolve().parent.name if is_suite_dir(root.resolve().parent) else ""
    return Task(path=root.resolve(), config=config, instruction=instruction, suite=suite)


def _required_files(root: Path, config: TaskConfig) -> dict[str, str]:
    """The files the task's environment needs in its directory (``ToolEnv.task_files``):
    a sandboxed environment needs a Dockerfile and a verifier script, one that grades in
    process from ``task.toml`` needs neither."""
    from toolgym.envs import ENVIRONMENTS  # the registry imports this module

    section = (config.model_extra or {}).get("toolgym")
    name = section.get("environment", "shell") if isinstance(section, dict) else "shell"
    spec = ENVIRONMENTS.get(name) if isinstance(name, str) else None
    if spec is None:
        known = ", ".join(sorted(ENVIRONMENTS))
        raise TaskLoadError(
            root / TASK_FILE,
            f"unknown environment {name!r} (known: {known}; a plugin package adds more)",
            field="toolgym.environment",
        )
    try:
        return dict(spec.load().task_files)
    except (ImportError, AttributeError) as exc:
        raise TaskLoadError(
            root / TASK_FILE, f"environment {name!r} ({spec.entry_point}) cannot be loaded: {exc}"
        ) from None


def task_section(task: Task, name: str, model: type[SectionModel]) -> SectionModel:
    """An environment's own part of a task, validated with ``model``: the ``[name]`` section
    of a directory task's task.toml, or the row itself for a row of a task file. Errors name
    the file (and line) and the field, like every other task error."""
    row = task.extra.get("row")
    if isinstance(row, dict):
        file = task.path.with_name(task.path.name.partition("#")[0])
        line = task.extra.get("line")
        where: Path | str = f"{file}:{line}" if line else file
        data, prefix = row, ""
    else:
        where = task.path / TASK_FILE
        data = (task.config.model_extra or {}).get(name)
        prefix = f"[{name}]."
        if not isinstance(data, dict):
            raise TaskLoadError(where, "missing section (the environment's task data)", f"[{name}]")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        _, message = _format_pydantic_error(exc)
        field = ".".join(str(part) for part in exc.errors()[0]["loc"]) or "(top level)"
        raise TaskLoadError(where, message, field=prefix + field) from None


def is_task_dir(path: Path) -> bool:
    return (path / TASK_FILE).is_file()


def is_suite_dir(path: Path) -> bool:
    """A suite is a folder of task folders (and is not a task itself)."""
    if not path.is_dir() or is_task_dir(path):
        return False
    return any(is_task_dir(child) for child in path.iterdir() if child.is_dir())


def builtin_tasks_root() -> Path:
    """Where the suites shipped with toolgym live (the repository's ``tasks/``)."""
    return Path(__file__).resolve().parent.parent / "tasks"


def resolve_task_paths(spec: str | Path) -> list[Path]:
    """Turn a task dir, a suite dir, a task file (``.jsonl``, one task per row; a row as
    ``FILE.jsonl#ID``) or a built-in suite name into task paths that :func:`load_task` loads."""
    from toolgym.task_rows import TASK_FILE_SUFFIX, split_row_reference, task_file_references

    path = Path(spec)
    row = split_row_reference(path)
    on_disk = row[0] if row else path  # a row reference names its file
    builtin = builtin_tasks_root()
    if not on_disk.exists() and not path.is_absolute() and (builtin / on_disk).exists():
        path, on_disk = builtin / path, builtin / on_disk
    elif not on_disk.exists() and not path.is_absolute() and len(path.parts) == 1:
        from toolgym.plugins import suite_path  # a suite a plugin package provides

        plugged = suite_path(str(path))
        if plugged is not None:
            path = on_disk = plugged
    if row is not None and on_disk.is_file():
        return [path]
    if path.is_file() and path.suffix == TASK_FILE_SUFFIX:
        return task_file_references(path)
    if is_task_dir(path):
        return [path]
    if path.is_dir():
        tasks = _find_task_dirs(path)
        if tasks:
            return tasks
        raise TaskLoadError(path, "holds no task directories (no task.toml or task file found)")
    raise TaskLoadError(path, "no such task directory or built-in suite")


def _find_task_dirs(root: Path) -> list[Path]:
    """Task directories and task-file rows under ``root``, in name order, without looking
    inside a task."""
    from toolgym.task_rows import is_task_file, task_file_references

    found: list[Path] = []
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            found.extend([child] if is_task_dir(child) else _find_task_dirs(child))
        elif is_task_file(child):
            found.extend(task_file_references(child))
    return found


def load_tasks(specs: list[str | Path] | str | Path) -> list[Task]:
    """Load every task named by ``specs`` (task dirs, suite dirs, built-in suite names)."""
    if isinstance(specs, str | Path):
        specs = [specs]
    tasks: list[Task] = []
    for spec in specs:
        tasks.extend(load_task(p) for p in resolve_task_paths(spec))
    return tasks
