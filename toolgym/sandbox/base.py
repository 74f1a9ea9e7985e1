"""The sandbox interface every backend implements.

A backend ``prepare``s a task once into a template (its starting filesystem, cached), then
``create``s one sandbox per episode from it. A sandbox runs the agent's persistent shell, can be
``stop``ped (every agent process killed, the filesystem kept), and runs the task's verifier in a
fresh process tree over that final filesystem with a reward channel the agent never saw.
"""

from __future__ import annotations

import hashlib
import os
import stat
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolgym.sandbox.limits import ResourceLimits
from toolgym.shell import ShellSession
from toolgym.task import Task

SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
LOGS_DIR = "/logs/verifier"
TESTS_DIR = "/tests"


def base_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every sandboxed process starts from: nothing of the caller's."""
    env = {
        "PATH": SYSTEM_PATH,
        "HOME": "/root",
        "USER": "root",
        "LOGNAME": "root",
        "SHELL": "/bin/bash",
        "TERM": "dumb",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOSTNAME": "sandbox",
        "DEBIAN_FRONTEND": "noninteractive",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # The shell is a terminal: without these, git log/man/systemctl would open a pager
        # and wait for a key press until the command timeout.
        "PAGER": "cat",
        "GIT_PAGER": "cat",
        "MANPAGER": "cat",
        "SYSTEMD_PAGER": "cat",
    }
    env.update(extra or {})
    return env


def default_cache_dir() -> Path:
    """Where templates are cached: ``$TOOLGYM_CACHE`` or ``$XDG_CACHE_HOME/toolgym``."""
    if os.environ.get("TOOLGYM_CACHE"):
        return Path(os.environ["TOOLGYM_CACHE"])
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "toolgym"


def environment_fingerprint(task: Task, salt: str) -> str:
    """A content hash of the task's ``environment/`` (names, modes, bytes, link targets)."""
    digest = hashlib.sha256(salt.encode())
    for path in sorted(task.environment_dir.rglob("*")):
        rel = path.relative_to(task.environment_dir).as_posix()
        info = path.lstat()
        digest.update(f"\0{rel}\0{stat.S_IMODE(info.st_mode):o}\0".encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def limits_for(task: Task) -> ResourceLimits:
    """A task's ``[environment]`` and ``[agent]`` settings as process limits."""
    env = task.config.environment
    cpu_seconds = int(task.config.agent.timeout_sec * max(1.0, env.cpus or 1.0)) + 60
    return ResourceLimits(
        memory_mb=env.memory_mb or ResourceLimits.memory_mb,
        storage_mb=env.storage_mb or ResourceLimits.storage_mb,
        cpus=env.cpus,
        cpu_seconds=cpu_seconds,
    )


@dataclass
class ExecResult:
    """A one-shot command's outcome (build steps, verifier runs)."""

    exit_code: int | None
    output: str
    duration: float
    timed_out: bool = False


@dataclass
class VerifierRun:
    """The verifier's process outcome and where its fresh ``/logs/verifier`` lies on the host."""

    logs_dir: Path
    result: ExecResult


@dataclass
class Template:
    """A task's prepared starting state, shared read-only by all its episodes."""

    task: Task
    key: str
    path: Path
    workdir: str
    env: dict[str, str]
    notes: list[str] = field(default_factory=list)
    build_seconds: float = 0.0
    cached: bool = False


class Sandbox(ABC):
    """One episode's isolated machine."""

    template: Template

    @abstractmethod
    def open_shell(self, **shell_options: object) -> ShellSession:
        """Start the agent's persistent shell (at the task's workdir)."""

    @abstractmethod
    def stop(self) -> None:
        """Kill every process of the agent; keep the filesystem for the verifier."""

    def set_niceness(self, value: int) -> None:  # noqa: B027 - optional hook
        """Give the sandbox's processes this scheduling priority (where the backend can)."""

    def kill(self) -> None:
        """Kill every process now; cleanup may wait for :meth:`close`. Defaults to stop."""
        self.stop()

    @abstractmethod
    def run_isolated(
        self,
        argv: list[str],
        *,
        base: str = "final",
        binds: Sequence[tuple[str, str, bool]] = (),
        timeout: float = 600.0,
        env: dict[str, str] | None = None,
        workdir: str | None = None,
    ) -> ExecResult:
        """Run a command to completion in a fresh process tree, after every agent process died.

        ``base="final"`` sees the agent's final filesystem, ``"template"`` the pristine
        starting state; either way system directories are the template's, nothing written
        persists, and ``binds`` (host path, sandbox path, writable) are mounted on clean
        directories. Graders build on this (the verifier, a repository's test run).
        """

    @abstractmethod
    def run_verifier(self, timeout: float, env: dict[str, str]) -> VerifierRun:
        """Run ``tests/test.sh`` over the final filesystem with a fresh ``/logs/verifier``."""

    @abstractmethod
    def close(self) -> None:
        """Stop and delete everything the sandbox holds. Safe to call twice."""

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SandboxBackend(ABC):
    """Makes templates and sandboxes of one kind."""

    name: str

    @abstractmethod
    def prepare(self, task: Task) -> Template:
        """Build (or fetch from cache) the task's template; errors name the Dockerfile line."""

    @abstractmethod
    def create(self, template: Template, limits: ResourceLimits | None = None) -> Sandbox:
        """A fresh sandbox whose filesystem starts as the template."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release backend-wide resources."""


class SandboxUnavailable(RuntimeError):
    """The backend cannot run on this machine (missing binary, no engine, ...)."""
