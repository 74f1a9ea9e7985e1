"""The default sandbox: bubblewrap over copy-on-write overlays of the host system.

Filesystem (what a container would give, without an image):

* ``/`` is an overlay: the episode's writable layer over the task's template layer over a small
  skeleton (``/tmp``, ``/root``, ``/home``, ``/var``, the ``/bin -> usr/bin`` links ...). Paths
  a Dockerfile creates (``/app``, ``/testbed``, ``/srv/data``) live in the template layer.
* ``/usr`` and ``/etc`` are overlays too: writable copy-on-write over the host's, so an agent's
  ``pip install`` or a Dockerfile ``COPY x /usr/local/bin/`` works and never reaches the host.
  Secrets in ``/etc`` (shadow, ssh host keys, sudoers) are masked.
* Nothing else of the host is visible: no home, no ``/tmp``, no ``/root``, no ``/work``.

Isolation: own user, PID, network (loopback only), IPC, UTS and cgroup namespaces; a Docker-like
reduced capability set; a scrubbed environment; ``--die-with-parent``; a cgroup per sandbox for
processes, memory and CPU when we may make one, and rlimits for file size, CPU seconds and open
files always.

Episode reset costs a few overlay mounts and a ``bwrap`` start: milliseconds, independent of the
workspace's size. The verifier runs in a second sandbox over the agent's final layer, with
``/usr`` and ``/etc`` restored to the template (so replaced interpreters or an
``/etc/ld.so.preload`` cannot fool it), a fresh ``/logs/verifier`` and a fresh copy of ``tests/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pexpect
import ptyprocess

from toolgym.dockerfile import (
    CopyStep,
    DockerfileError,
    LocalBuildPlan,
    MkdirStep,
    RunStep,
    plan_local_build,
)
from toolgym.forking import fork_safely
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
    default_cache_dir,
    environment_fingerprint,
)
from toolgym.sandbox.limits import ResourceLimits, SandboxCgroup
from toolgym.sandbox.mounts import (
    Overlay,
    create_user_namespace,
    enter_private_mounts,
    mount_tmpfs,
    unmount_under,
)
from toolgym.shell import (
    SHELL_ARGV,
    OutputCapture,
    ShellSession,
    decode_output,
    quiet_terminal,
    quote_ansi_c,
)
from toolgym.task import Task

TEMPLATE_FORMAT = "toolgym-template-v1"
# Sandbox uids/gids 1-65535 are host ids SUBORDINATE_ID_BASE + 1 ... (root stays root).
SUBORDINATE_ID_BASE = 1_000_000_000
_SKELETON_DIRS = {
    "tmp": 0o1777,
    "root": 0o700,
    "home": 0o755,
    "var": 0o755,
    "var/tmp": 0o1777,
    "var/log": 0o755,
    "var/lib": 0o755,
    "var/cache": 0o755,
    "run": 0o755,
    "opt": 0o755,
    "srv": 0o755,
    "mnt": 0o755,
    "media": 0o755,
    "proc": 0o555,
    "dev": 0o755,
    "sys": 0o555,
}
_MERGED_USR_NAMES = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
# Host files no sandbox should read, even one whose root maps to the host's root.
_ETC_SECRETS = (
    "shadow",
    "shadow-",
    "gshadow",
    "gshadow-",
    "sudoers",
    "security/opasswd",
    "machine-id",
)
_ETC_SECRET_DIRS = ("ssh", "sudoers.d", "ssl/private", "docker", "containerd")
# Docker's default capabilities, minus MKNOD and NET_RAW: enough for an agent that expects to
# be root (chown, chmod, kill its own processes), scoped to the sandbox's user namespace.
_CAPABILITIES = (
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_SETFCAP",
    "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT",
    "CAP_AUDIT_WRITE",
)
_BUILD_MOUNT = "/.toolgym-build"


def _bwrap_path() -> str:
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed: run `sudo apt-get install bubblewrap` "
            "(or `make setup`, which does it)"
        )
    return path


@dataclass(frozen=True)
class _Layers:
    """Where one sandbox's overlays live on the host: ``<dir>/<name>.{upper,work,mnt}``."""

    base: Path
    names: tuple[str, ...]

    def create(self, storage_mb: int | None = None) -> None:
        """Make the layer directories, on a tmpfs of ``storage_mb`` when given.

        A sandbox's writes all land in its upper layers, so the tmpfs bounds how much it can
        write (the kernel answers ENOSPC), and nothing it writes touches the host's disk.
        """
        self.base.mkdir(parents=True, exist_ok=True)
        if storage_mb:
            mount_tmpfs(str(self.base), storage_mb, inodes=max(16_384, storage_mb * 64))
        for name in self.names:
            for part in ("upper", "work", "mnt"):
                (self.base / f"{name}.{part}").mkdir(parents=True, exist_ok=True)

    def upper(self, name: str) -> Path:
        return self.base / f"{name}.upper"

    def mnt(self, name: str) -> Path:
        return self.base / f"{name}.mnt"

    def overlay(self, name: str, lowers: Sequence[Path | str]) -> Overlay:
        return Overlay(
            target=str(self.mnt(name)),
            lowers=tuple(str(p) for p in lowers),
            upper=str(self.upper(name)),
            work=str(self.base / f"{name}.work"),
        )


def _remove_tree(path: Path) -> None:
    """Delete a sandbox directory, including overlay work dirs the kernel left unreadable
    and any tmpfs mounted inside it."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
        return
    if not path.exists():
        return
    unmount_under(str(path))

    def make_removable(_func: Callable[..., object], target: str, _exc: object) -> None:
        # overlayfs leaves `work/work` with mode 000: open it up, then remove it whole.
        for item in (os.path.dirname(target), target):
            with contextlib.suppress(OSError):
                os.chmod(item, 0o700)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(target)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=make_removable)
    else:
        shutil.rmtree(path, onerror=make_removable)


class BwrapBackend(SandboxBackend):
    """Bubblewrap sandboxes with overlay templates cached by content hash."""

    name = "bwrap"

    def __init__(self, cache_dir: Path | str | None = None) -> None:
        self.bwrap = _bwrap_path()
        self.rootless = os.geteuid() != 0
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.templates_dir = self.cache_dir / (
            "templates-rootless" if self.rootless else "templates"
        )
        self.runtime_dir = self.cache_dir / "run" / str(os.getpid())
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        self.templates_dir.mkdir(parents=True, exist_ok=True)
        self.system_dirs = ["usr", "etc"] + [
            name
            for name in _MERGED_USR_NAMES
            if Path("/", name).is_dir() and not Path("/", name).is_symlink()
        ]
        self.skeleton = self._ensure_skeleton()
        # As root, every sandbox joins one user namespace that maps uid/gid 0 to root and
        # 1-65535 to an unused high host range: tasks can `useradd`, `chown 1000` and `su`,
        # while no sandbox uid but root equals a real host user's. Rootless, bwrap maps the
        # caller to root alone (``--unshare-user``).
        self.userns_fd: int | None = None
        if not self.rootless:
            maps = f"0 0 1\n1 {SUBORDINATE_ID_BASE + 1} 65535\n"
            self.userns_fd = create_user_namespace(maps, maps)
        self._etc_masks = self._find_etc_masks()
        _sweep_dead_runtimes(self.cache_dir / "run")

    # -- shared pieces -----------------------------------------------------------------------
    def _ensure_skeleton(self) -> Path:
        """The bottom layer of every root: empty system folders and the merged-/usr links."""
        skeleton = self.cache_dir / "skeleton-v1"
        if skeleton.is_dir():
            return skeleton
        tmp = self.cache_dir / f"skeleton.tmp-{uuid.uuid4().hex}"
        for rel, mode in _SKELETON_DIRS.items():
            (tmp / rel).mkdir(parents=True, exist_ok=True)
            os.chmod(tmp / rel, mode)
        for name in [*self.system_dirs, "usr", "etc"]:
            (tmp / name).mkdir(exist_ok=True)
        for name in _MERGED_USR_NAMES:
            host = Path("/", name)
            if host.is_symlink():
                os.symlink(os.readlink(host), tmp / name)
        (tmp / "var/run").symlink_to("/run")
        try:
            tmp.rename(skeleton)
        except OSError:  # another process made it first
            _remove_tree(tmp)
        return skeleton

    @staticmethod
    def _find_etc_masks() -> list[str]:
        args: list[str] = []
        for rel in _ETC_SECRETS:
            if Path("/etc", rel).is_file():
                args += ["--ro-bind", "/dev/null", f"/etc/{rel}"]
        for rel in _ETC_SECRET_DIRS:
            if Path("/etc", rel).is_dir() and not Path("/etc", rel).is_symlink():
                args += ["--tmpfs", f"/etc/{rel}"]
        return args

    def bwrap_args(
        self,
        layers: _Layers,
        workdir: str,
        env: dict[str, str],
        binds: Sequence[tuple[str, str, bool]] = (),
        new_session: bool = False,
        mask_host_secrets: bool = False,
    ) -> list[str]:
        """The bubblewrap command line for a sandbox over ``layers`` (mounted by the child).

        Episodes and verifiers run over a template whose /etc layer already hides the host's
        secrets (whiteouts, see :meth:`_hide_host_secrets`); only a template build, which sees
        the host's /etc directly, needs ``mask_host_secrets``.
        """
        if self.userns_fd is not None:
            user = ["--userns", str(self.userns_fd)]
        else:
            user = ["--unshare-user", "--uid", "0", "--gid", "0", "--disable-userns"]
        args = [
            "--die-with-parent",
            *user,
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--hostname",
            "sandbox",
            "--bind",
            str(layers.mnt("root")),
            "/",
        ]
        for name in self.system_dirs:
            args += ["--bind", str(layers.mnt(name)), f"/{name}"]
        args += ["--proc", "/proc", "--dev", "/dev"]
        if mask_host_secrets:
            args += self._etc_masks
        for source, target, writable in binds:
            args += ["--bind" if writable else "--ro-bind", source, target]
        args += ["--cap-drop", "ALL"]
        for cap in _CAPABILITIES:
            args += ["--cap-add", cap]
        if new_session:
            args.append("--new-session")
        args.append("--clearenv")
        for key, value in env.items():
            args += ["--setenv", key, value]
        args += ["--chdir", workdir]
        return args

    def command_via_fd(self, options: list[str], command: list[str]) -> tuple[list[str], int]:
        """``bwrap --args FD -- COMMAND``: the sandbox's ``ps`` shows no host paths.

        Returns the argv and the descriptor to pass to the child (close it after spawning).
        """
        read_end, write_end = os.pipe()
        payload = b"".join(arg.encode() + b"\0" for arg in options)
        with os.fdopen(write_end, "wb") as writer:  # options are a few KiB: fits the pipe
            writer.write(payload)
        os.set_inheritable(read_end, True)
        return [self.bwrap, "--args", str(read_end), "--", *command], read_end

    def fds_for(self, args_fd: int) -> tuple[int, ...]:
        """The descriptors a sandbox's bwrap must inherit."""
        if self.userns_fd is None:
            return (args_fd,)
        os.set_inheritable(self.userns_fd, True)
        return (args_fd, self.userns_fd)

    def preexec(
        self, overlays: list[Overlay], limits: ResourceLimits, cgroup: SandboxCgroup | None
    ) -> Callable[[], None]:
        """What the child does between fork and exec: cgroup, namespaces, mounts, rlimits."""
        rootless = self.rootless
        nproc = limits.max_processes + (_count_own_processes() if rootless else 0)
        effective = ResourceLimits(**{**limits.__dict__, "max_processes": nproc})
        cap_processes = cgroup is None or not cgroup.limits_processes
        cap_memory = cgroup is None or not cgroup.limits_memory

        def run_in_child() -> None:
            if cgroup is not None:
                cgroup.join()
            enter_private_mounts(overlays, rootless=rootless)
            effective.apply_rlimits(include_nproc=cap_processes, include_memory=cap_memory)

        return run_in_child

    def run_oneshot(
        self,
        argv: list[str],
        layers: _Layers,
        overlays: list[Overlay],
        workdir: str,
        env: dict[str, str],
        timeout: float,
        limits: ResourceLimits,
        binds: Sequence[tuple[str, str, bool]] = (),
        max_output_bytes: int = 64 * 1024,
        mask_host_secrets: bool = False,
    ) -> ExecResult:
        """Run a command to completion in a fresh sandbox (build steps, verifier)."""
        cgroup = None if self.rootless else SandboxCgroup(limits)
        cmd, args_fd = self.command_via_fd(
            self.bwrap_args(
                layers, workdir, env, binds, new_session=True, mask_host_secrets=mask_host_secrets
            ),
            argv,
        )
        start = time.monotonic()
        try:
            preexec = self.preexec(overlays, limits, cgroup)
            proc = fork_safely(
                lambda: subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    preexec_fn=preexec,
                    env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                    start_new_session=True,
                    pass_fds=self.fds_for(args_fd),
                )
            )
        finally:
            os.close(args_fd)
        capture = OutputCapture(max_output_bytes, keep_tail=max_output_bytes // 2)
        timed_out = False
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        try:
            while True:
                left = start + timeout - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                ready, _, _ = select.select([fd], [], [], left)
                if ready:
                    data = os.read(fd, 1 << 16)
                    if not data:
                        break
                    capture.add(data)
        finally:
            if timed_out:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            if cgroup is not None:
                cgroup.remove_later()
            proc.stdout.close()
            exit_code = proc.wait()
        text = decode_output(bytes(capture.head))
        if capture.dropped:
            text += f"\n[... {capture.dropped} bytes of output truncated ...]\n"
        text += decode_output(bytes(capture.tail))
        return ExecResult(
            exit_code=None if timed_out else exit_code,
            output=text,
            duration=time.monotonic() - start,
            timed_out=timed_out,
        )

    # -- templates ---------------------------------------------------------------------------
    def storage_for(self, limits: ResourceLimits) -> int | None:
        """The tmpfs size for a sandbox's writable layers (root only: rootless, the layers
        stay on disk, unbounded)."""
        return None if self.rootless else limits.storage_mb

    def template_key(self, task: Task) -> str:
        return environment_fingerprint(
            task, TEMPLATE_FORMAT + ("-rootless" if self.rootless else "")
        )

    def prepare(self, task: Task) -> Template:
        plan = plan_local_build(task)
        key = self.template_key(task)
        final = self.templates_dir / key
        lock_path = self.templates_dir / f"{key}.lock"
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if (final / "meta.json").is_file():
                meta = json.loads((final / "meta.json").read_text())
                return Template(
                    task,
                    key,
                    final,
                    meta["workdir"],
                    meta["env"],
                    meta["notes"],
                    meta["build_seconds"],
                    cached=True,
                )
            start = time.monotonic()
            tmp = self.templates_dir / f"{key}.tmp-{uuid.uuid4().hex[:8]}"
            try:
                self._build(task, plan, tmp)
                seconds = time.monotonic() - start
                meta = {
                    "format": TEMPLATE_FORMAT,
                    "task": str(task.path),
                    "workdir": plan.workdir,
                    "env": plan.env,
                    "notes": plan.notes,
                    "build_seconds": seconds,
                    "base_image": plan.base_image,
                }
                (tmp / "meta.json").write_text(json.dumps(meta, indent=2))
                tmp.rename(final)
            finally:
                if tmp.exists():
                    _remove_tree(tmp)
        return Template(task, key, final, plan.workdir, plan.env, plan.notes, seconds)

    def template_lowers(self, template_path: Path, name: str) -> list[Path | str]:
        """A template's read-only layers for the mount ``name``, top first."""
        if name == "root":
            return [template_path / "root.upper", self.skeleton]
        return [template_path / f"{name}.upper", f"/{name}"]

    def _build(self, task: Task, plan: LocalBuildPlan, out: Path) -> None:
        """Replay the Dockerfile in a build sandbox; its upper layers become the template."""
        names = ("root", *self.system_dirs)
        layers = _Layers(out, names)
        layers.create()
        overlays = [layers.overlay("root", [self.skeleton])] + [
            layers.overlay(name, [f"/{name}"]) for name in self.system_dirs
        ]
        limits = ResourceLimits(
            memory_mb=task.config.environment.memory_mb or 4096,
            cpu_seconds=int(task.config.environment.build_timeout_sec) + 60,
        )
        context = str(task.environment_dir.resolve())
        deadline = time.monotonic() + task.config.environment.build_timeout_sec
        try:
            for step in plan.steps:
                script, workdir, env, shell = self._step_script(step, plan)
                left = deadline - time.monotonic()
                result = self.run_oneshot(
                    [*shell, script],
                    layers,
                    overlays,
                    workdir,
                    env,
                    max(left, 0.001),
                    limits,
                    binds=[(context, _BUILD_MOUNT, False)],
                    mask_host_secrets=True,
                )
                if result.exit_code != 0:
                    what = (
                        "timed out (build_timeout_sec)"
                        if result.timed_out
                        else (f"failed with exit code {result.exit_code}")
                    )
                    raise DockerfileError(
                        task.dockerfile,
                        step.line,
                        f"{what} while preparing the template:\n{result.output[-3000:]}",
                    )
        finally:
            for name in names:
                _remove_tree(out / f"{name}.work")
                _remove_tree(out / f"{name}.mnt")
            build_mount = layers.upper("root") / _BUILD_MOUNT.lstrip("/")
            with contextlib.suppress(OSError):
                build_mount.rmdir()
        self._hide_host_secrets(layers.upper("etc"))

    def _hide_host_secrets(self, etc_upper: Path) -> None:
        """Whiteouts in the template's /etc layer for the host's secret files.

        An overlay whiteout (a 0:0 character device) hides the lower file, so no mount is
        needed per sandbox. Rootless, sandboxes run as the calling user, who cannot read
        these root-only files anyway (and may not create whiteouts).
        """
        if self.rootless:
            return
        for rel in (*_ETC_SECRETS, *_ETC_SECRET_DIRS):
            host = Path("/etc", rel)
            if not (host.exists() or host.is_symlink()):
                continue
            target = etc_upper / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _remove_tree(target)
            os.mknod(target, 0o600 | stat.S_IFCHR, os.makedev(0, 0))

    @staticmethod
    def _step_script(
        step: CopyStep | RunStep | MkdirStep, plan: LocalBuildPlan
    ) -> tuple[str, str, dict[str, str], list[str]]:
        env = base_environment(plan.env)
        bash = ["/bin/bash", "-c"]
        if isinstance(step, MkdirStep):
            return f"mkdir -p {_sh(step.path)}", "/", env, bash
        if isinstance(step, RunStep):
            return step.command, step.workdir, base_environment(step.env), step.shell
        dest = _sh(step.dest)
        if step.content is not None:
            lines = [
                f'mkdir -p "$(dirname {dest})"',
                f"printf '%s' $'{quote_ansi_c(step.content)}' > {dest}",
            ]
        else:
            lines = [
                "set -e",
                f"mkdir -p {dest}" if step.dest_is_dir else f'mkdir -p "$(dirname {dest})"',
            ]
            for source in step.sources:
                src = _sh(f"{_BUILD_MOUNT}/{source}")
                if step.extract:
                    lines.append(f"tar -xf {src} -C {dest}")
                elif source == "." or Path(plan.dockerfile.parent, source).is_dir():
                    lines.append(
                        f"mkdir -p {dest} && cp -a --no-preserve=ownership {src}/. {dest}/"
                    )
                else:
                    lines.append(f"cp -a --no-preserve=ownership {src} {dest}")
        if step.chmod:
            lines.append(f"chmod -R {_sh(step.chmod)} {dest}")
        return "\n".join(lines), "/", env, bash

    # -- sandboxes ---------------------------------------------------------------------------
    def create(self, template: Template, limits: ResourceLimits | None = None) -> BwrapSandbox:
        return BwrapSandbox(self, template, limits or ResourceLimits())

    def close(self) -> None:
        _remove_tree(self.runtime_dir)
        if self.userns_fd is not None:
            os.close(self.userns_fd)
            self.userns_fd = None


def _sh(text: str) -> str:
    return f"$'{quote_ansi_c(text)}'"


def _count_own_processes() -> int:
    uid = os.getuid()
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    count += 1
    return count


def _sweep_dead_runtimes(run_dir: Path) -> None:
    """Remove what processes killed without cleanup (``kill -9``) left behind."""
    with contextlib.suppress(OSError):
        for entry in run_dir.iterdir():
            if entry.name.isdigit() and not Path("/proc", entry.name).exists():
                _remove_tree(entry)


class _SpawnPassingFds(pexpect.spawn):
    """``pexpect.spawn`` that lets chosen descriptors through to the child (``pass_fds``)."""

    def __init__(self, *args: object, pass_fds: tuple[int, ...] = (), **kwargs: object) -> None:
        self._pass_fds = pass_fds
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _spawnpty(self, args: list[str], **kwargs: object) -> ptyprocess.PtyProcess:
        return fork_safely(
            lambda: ptyprocess.PtyProcess.spawn(args, pass_fds=self._pass_fds, **kwargs)
        )


class BwrapSandbox(Sandbox):
    """One episode: its own overlay layers, cgroup and shell."""

    def __init__(self, backend: BwrapBackend, template: Template, limits: ResourceLimits) -> None:
        self.backend = backend
        self.template = template
        self.limits = limits
        self.dir = backend.runtime_dir / uuid.uuid4().hex[:12]
        self.layers = _Layers(self.dir / "agent", ("root", *backend.system_dirs))
        self.layers.create(backend.storage_for(limits))
        self.cgroup: SandboxCgroup | None = None
        self.shell: ShellSession | None = None
        self._closed = False
        self._verifier_runs = 0
        self._isolated_runs = 0

    def _overlays(self) -> list[Overlay]:
        return [
            self.layers.overlay(name, self.backend.template_lowers(self.template.path, name))
            for name in self.layers.names
        ]

    def env(self) -> dict[str, str]:
        return base_environment(self.template.env)

    def shell_options(self) -> list[str]:
        return self.backend.bwrap_args(self.layers, self.template.workdir, self.env())

    def open_shell(self, **shell_options: object) -> ShellSession:
        if self.shell is not None:
            return self.shell
        if self.cgroup is None and not self.backend.rootless:
            self.cgroup = SandboxCgroup(self.limits)
        in_child = self.backend.preexec(self._overlays(), self.limits, self.cgroup)

        def preexec() -> None:
            quiet_terminal()
            in_child()

        options = self.shell_options()

        def spawn() -> pexpect.spawn:
            if self.cgroup is not None:
                self.cgroup.kill_all()  # a restart never leaves the old shell's processes
            argv, args_fd = self.backend.command_via_fd(options, SHELL_ARGV)
            try:
                return _SpawnPassingFds(
                    argv[0],
                    argv[1:],
                    env={"PATH": "/usr/bin:/bin"},
                    echo=False,
                    preexec_fn=preexec,
                    dimensions=(50, 200),
                    pass_fds=self.backend.fds_for(args_fd),
                )
            finally:
                os.close(args_fd)

        self.shell = ShellSession(spawn, **shell_options)  # type: ignore[arg-type]
        self.shell.start()
        return self.shell

    def set_niceness(self, value: int) -> None:
        if self.cgroup is None:
            return
        for pid in self.cgroup.pids():
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, pid, value)

    def kill(self) -> None:
        """SIGKILL the sandbox's bwrap: the kernel then kills its whole PID namespace."""
        if self.shell is not None:
            self.shell.close()
            self.shell = None
        if self.cgroup is not None:
            self.cgroup.signal_all()

    def stop(self) -> None:
        self.kill()
        if self.cgroup is not None:
            # Wait until every process has exited (nothing may write to the layers the
            # verifier reads next); deleting the cgroup itself can happen later.
            self.cgroup.kill_all()
            self.cgroup.remove_later()
            self.cgroup = None

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
        self.stop()
        if base not in ("final", "template"):
            raise ValueError(f"base must be 'final' or 'template', got {base!r}")
        self._isolated_runs += 1
        run_dir = self.dir / f"isolated-{self._isolated_runs}"
        layers = _Layers(run_dir, self.layers.names)
        layers.create(self.backend.storage_for(self.limits))
        agent_root = self.layers.upper("root")
        # Whatever the agent left where host directories get mounted goes first, so the
        # mounts land on clean directories (never on the agent's files or links).
        for _source, target, _writable in binds:
            top = target.strip("/").split("/")[0]
            if top and top not in self.backend.system_dirs:
                _remove_tree(agent_root / top)
        lowers = self.backend.template_lowers(self.template.path, "root")
        root_lowers = [agent_root, *lowers] if base == "final" else lowers
        # System directories always come back pristine: the agent cannot swap the
        # interpreters, libraries or /etc files that graders run on.
        overlays = [layers.overlay("root", root_lowers)] + [
            layers.overlay(name, self.backend.template_lowers(self.template.path, name))
            for name in self.backend.system_dirs
        ]
        full_env = base_environment({**self.template.env, **(env or {}), "PYTHONNOUSERSITE": "1"})
        return self.backend.run_oneshot(
            argv,
            layers,
            overlays,
            workdir or self.template.workdir,
            full_env,
            timeout,
            self.limits,
            binds=binds,
        )

    def run_verifier(self, timeout: float, env: dict[str, str]) -> VerifierRun:
        self._verifier_runs += 1
        vdir = self.dir / f"verify-{self._verifier_runs}"
        logs = vdir / "logs"
        logs.mkdir(parents=True)
        os.chmod(logs, 0o777)
        tests = vdir / "tests"
        shutil.copytree(self.template.task.tests_dir, tests, symlinks=True)
        result = self.run_isolated(
            ["/bin/bash", f"{TESTS_DIR}/test.sh"],
            binds=[(str(tests), TESTS_DIR, True), (str(logs), LOGS_DIR, True)],
            timeout=timeout,
            env=env,
        )
        return VerifierRun(logs_dir=logs, result=result)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.stop()
        _remove_tree(self.dir)
