"""The docker backend: real images for tasks the local sandbox cannot emulate.

Use it for tasks whose base image or packages the host lacks. It builds the task's
``environment/`` into an image (cached by content hash), runs one container per episode with the
network disabled (unless the task allows it) and the task's CPU, memory and process limits, and
drives the same persistent shell through a ``docker exec`` TTY socket. The verifier runs in a
fresh container made from a snapshot (``commit``) of the agent's container, so no agent process
survives into grading, with ``tests/`` copied in and a fresh ``/logs/verifier``.

Unlike the bubblewrap backend, the verifier here sees the agent's changes to system
directories; prefer the bubblewrap backend where a task allows it.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import shutil
import tarfile
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pexpect.fdpexpect import fdspawn

from toolgym.sandbox.base import (
    LOGS_DIR,
    TESTS_DIR,
    ExecResult,
    Sandbox,
    SandboxBackend,
    SandboxUnavailable,
    Template,
    VerifierRun,
    base_environment,
    environment_fingerprint,
)
from toolgym.sandbox.limits import ResourceLimits
from toolgym.shell import SHELL_ARGV, ShellSession, decode_output
from toolgym.task import Task

IMAGE_PREFIX = "toolgym"


def docker_client() -> Any:
    """A connected docker SDK client, or :class:`SandboxUnavailable` saying why not."""
    try:
        import docker
    except ImportError:
        raise SandboxUnavailable(
            "the docker backend needs the docker SDK: pip install 'toolgym[docker]'"
        ) from None
    try:
        client = docker.from_env()
        client.ping()
    except Exception as exc:
        raise SandboxUnavailable(f"no Docker engine reachable ({exc})") from None
    return client


def tar_directory(path: Path, arcname: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.add(path, arcname=arcname)
    return buffer.getvalue()


class DockerBackend(SandboxBackend):
    """Images built from each task's Dockerfile; a container per episode."""

    name = "docker"

    def __init__(self, client: Any | None = None) -> None:
        self.client = client if client is not None else docker_client()

    def prepare(self, task: Task) -> Template:
        key = environment_fingerprint(task, "toolgym-docker-v1")
        tag = f"{IMAGE_PREFIX}/{task.name.lower()}:{key}"
        start = time.monotonic()
        cached = True
        try:
            image = self.client.images.get(tag)
        except Exception:
            cached = False
            import docker.errors

            try:
                image, _logs = self.client.images.build(
                    path=str(task.environment_dir),
                    tag=tag,
                    rm=True,
                    forcerm=True,
                    timeout=int(task.config.environment.build_timeout_sec),
                )
            except docker.errors.BuildError as exc:
                raise RuntimeError(f"{task.dockerfile}: docker build failed: {exc}") from None
        config = image.attrs.get("Config") or {}
        env = dict(item.split("=", 1) for item in (config.get("Env") or []) if "=" in item)
        env.pop("PATH", None)
        return Template(
            task,
            key,
            Path(tag),
            config.get("WorkingDir") or "/",
            env,
            build_seconds=time.monotonic() - start,
            cached=cached,
        )

    def create(self, template: Template, limits: ResourceLimits | None = None) -> DockerSandbox:
        return DockerSandbox(self, template, limits or ResourceLimits())

    def run_container(self, image: str, template: Template, limits: ResourceLimits) -> Any:
        environment = template.task.config.environment
        return self.client.containers.run(
            image,
            command=["sleep", "infinity"],
            detach=True,
            init=True,
            network_disabled=not environment.allow_internet,
            mem_limit=f"{limits.memory_mb}m",
            nano_cpus=int(limits.cpus * 1e9) if limits.cpus else None,
            pids_limit=limits.max_processes,
            working_dir=template.workdir,
            environment=base_environment(template.env),
            hostname="sandbox",
        )


class DockerSandbox(Sandbox):
    """One episode's container."""

    def __init__(self, backend: DockerBackend, template: Template, limits: ResourceLimits) -> None:
        self.backend = backend
        self.template = template
        self.limits = limits
        self.container = backend.run_container(str(template.path), template, limits)
        self.shell: ShellSession | None = None
        self._sockets: list[Any] = []
        self._logs_dirs: list[Path] = []
        self._closed = False

    def _spawn_shell(self) -> fdspawn:
        api = self.backend.client.api
        exec_id = api.exec_create(
            self.container.id,
            SHELL_ARGV,
            stdin=True,
            tty=True,
            environment=base_environment(self.template.env),
            workdir=self.template.workdir,
        )["Id"]
        sock = api.exec_start(exec_id, socket=True, tty=True)
        raw = getattr(sock, "_sock", sock)
        self._sockets.append(sock)
        return fdspawn(raw.fileno())

    def open_shell(self, **shell_options: object) -> ShellSession:
        if self.shell is None:
            self.shell = ShellSession(self._spawn_shell, **shell_options)  # type: ignore[arg-type]
            self.shell.start()
        return self.shell

    def stop(self) -> None:
        if self.shell is not None:
            self.shell.close()
            self.shell = None
        for sock in self._sockets:
            with contextlib.suppress(Exception):
                sock.close()
        self._sockets.clear()
        with contextlib.suppress(Exception):
            self.container.kill()

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
        """A fresh container from a snapshot of the agent's (``final``) or the task's image
        (``template``). Binds are copied in before and, when writable, back out after."""
        self.stop()
        if base not in ("final", "template"):
            raise ValueError(f"base must be 'final' or 'template', got {base!r}")
        snapshot = None
        if base == "final":
            snapshot = self.container.commit(
                repository=f"{IMAGE_PREFIX}/snapshot", tag=uuid.uuid4().hex[:12]
            )
        image = snapshot.id if snapshot is not None else str(self.template.path)
        container = self.backend.run_container(image, self.template, self.limits)
        try:
            targets = " ".join(shlex.quote(target) for _source, target, _w in binds)
            if targets:
                container.exec_run(["sh", "-c", f"rm -rf {targets} && mkdir -p {targets}"])
            for source, target, _writable in binds:
                container.put_archive(target, tar_directory(Path(source), "."))
            result = self._exec_with_timeout(container, argv, timeout, env or {}, workdir)
            for source, target, writable in binds:
                if writable:
                    with contextlib.suppress(Exception):
                        stream, _ = container.get_archive(target.rstrip("/") + "/.")
                        with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as archive:
                            archive.extractall(source, filter="data")
        finally:
            with contextlib.suppress(Exception):
                container.remove(force=True)
            if snapshot is not None:
                with contextlib.suppress(Exception):
                    self.backend.client.images.remove(snapshot.id, force=True)
        return result

    def run_verifier(self, timeout: float, env: dict[str, str]) -> VerifierRun:
        work = Path(tempfile.mkdtemp(prefix="toolgym-verifier-"))
        self._logs_dirs.append(work)
        logs, tests = work / "logs", work / "tests"
        logs.mkdir()
        shutil.copytree(self.template.task.tests_dir, tests, symlinks=True)
        result = self.run_isolated(
            ["bash", f"{TESTS_DIR}/test.sh"],
            timeout=timeout,
            env=env,
            binds=[(str(tests), TESTS_DIR, False), (str(logs), LOGS_DIR, True)],
        )
        return VerifierRun(logs_dir=logs, result=result)

    def _exec_with_timeout(
        self,
        container: Any,
        argv: list[str],
        timeout: float,
        env: dict[str, str],
        workdir: str | None,
    ) -> ExecResult:
        outcome: dict[str, Any] = {}
        start = time.monotonic()

        def target() -> None:
            outcome["result"] = container.exec_run(
                argv,
                workdir=workdir or self.template.workdir,
                environment=base_environment({**self.template.env, **env}),
            )

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            with contextlib.suppress(Exception):
                container.kill()
            return ExecResult(None, "", time.monotonic() - start, timed_out=True)
        result = outcome.get("result")
        if result is None:
            return ExecResult(None, "exec failed", time.monotonic() - start)
        return ExecResult(
            result.exit_code,
            decode_output(result.output or b"")[-64 * 1024 :],
            time.monotonic() - start,
        )

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.stop()
        with contextlib.suppress(Exception):
            self.container.remove(force=True)
        for path in self._logs_dirs:
            shutil.rmtree(path, ignore_errors=True)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()
