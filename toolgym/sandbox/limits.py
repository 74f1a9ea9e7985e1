"""Resource limits for sandboxes: a cgroup per sandbox where we may make one, rlimits always.

Why both: ``RLIMIT_NPROC`` counts processes per *real* uid and never binds root, so as root a fork
bomb is only stopped by a pids cgroup; a memory cgroup also bounds a whole process tree, where
``RLIMIT_AS`` bounds one process at a time. Rlimits still cap file size, CPU seconds and open
files for every process, with or without cgroups.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from toolgym.sandbox.mounts import write_once

CGROUP_ROOT = Path("/sys/fs/cgroup")
# Deleting a cgroup waits for the kernel to finish with its killed processes; one background
# thread does it so that episode resets and verifier runs never wait for it.
_reaper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="toolgym-cgroup-reaper")
atexit.register(_reaper.shutdown, wait=True)


@dataclass(frozen=True)
class ResourceLimits:
    """Ceilings applied to every process of a sandbox."""

    max_processes: int = 512
    memory_mb: int = 4096
    storage_mb: int = 10240  # what the sandbox may write (tmpfs-backed layers, as root)
    max_file_mb: int = 1024
    cpu_seconds: int | None = 3600
    open_files: int = 4096
    cpus: float | None = None

    def apply_rlimits(self, include_nproc: bool, include_memory: bool) -> None:
        """Set rlimits on the calling process (inherited by everything it starts).

        ``RLIMIT_NPROC`` counts every process of the real uid, so it is only worth setting
        when we run unprivileged (as root it does not bind; the pids cgroup does the job).
        ``RLIMIT_AS`` bounds each process's address space: the fallback when no memory
        cgroup bounds the sandbox as a whole.
        """
        limits = {
            resource.RLIMIT_FSIZE: self.max_file_mb * 2**20,
            resource.RLIMIT_NOFILE: self.open_files,
            resource.RLIMIT_CORE: 0,
        }
        if include_nproc:
            limits[resource.RLIMIT_NPROC] = self.max_processes
        if include_memory:
            limits[resource.RLIMIT_AS] = self.memory_mb * 2**20
        if self.cpu_seconds:
            limits[resource.RLIMIT_CPU] = self.cpu_seconds
        for which, value in limits.items():
            _soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value))


@cache
def _controller_dirs() -> dict[str, Path]:
    """Where each controller we use can be managed: a cgroup v1 hierarchy or the v2 tree.

    The parent is this process's own cgroup in that hierarchy, so sandboxes nest under us
    (inside a container or a systemd slice, that is the part delegated to us).
    """
    found: dict[str, Path] = {}
    try:
        own = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return found
    for line in own:
        _id, controllers, path = line.split(":", 2)
        rel = path.lstrip("/")
        if controllers:  # v1: one hierarchy per controller set
            for name in controllers.split(","):
                base = CGROUP_ROOT / name
                if name in ("pids", "memory", "cpu") and (base / rel).is_dir():
                    found.setdefault(name, base / rel)
        else:  # v2 unified hierarchy
            base = CGROUP_ROOT if (CGROUP_ROOT / "cgroup.controllers").exists() else None
            if base is None and (CGROUP_ROOT / "unified" / "cgroup.controllers").exists():
                base = CGROUP_ROOT / "unified"
            if base is None:
                continue
            parent = base / rel
            try:
                available = (parent / "cgroup.subtree_control").read_text().split()
            except OSError:
                continue
            for name in ("pids", "memory", "cpu"):
                if name in available:
                    found.setdefault(name, parent)
    return {name: path for name, path in found.items() if os.access(path, os.W_OK)}


class SandboxCgroup:
    """One sandbox's cgroups (pids, memory, cpu): created, joined from the child, killed."""

    def __init__(self, limits: ResourceLimits, name: str | None = None) -> None:
        self.name = name or f"toolgym-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.dirs: dict[str, Path] = {}
        for controller, parent in _controller_dirs().items():
            if controller == "cpu" and not limits.cpus:
                continue  # joining a cgroup costs time at every start: only when it limits
            path = parent / self.name
            try:
                path.mkdir(exist_ok=True)  # v2 keeps every controller in one directory
            except OSError:
                continue
            self.dirs[controller] = path
        self._configure(limits)

    @property
    def limits_processes(self) -> bool:
        return "pids" in self.dirs

    @property
    def limits_memory(self) -> bool:
        return "memory" in self.dirs

    def _set(self, controller: str, filename: str, value: str) -> None:
        path = self.dirs.get(controller)
        if path is not None:
            with contextlib.suppress(OSError):
                (path / filename).write_text(value)

    def _configure(self, limits: ResourceLimits) -> None:
        memory = str(limits.memory_mb * 2**20)
        self._set("pids", "pids.max", str(limits.max_processes))
        v2 = (self.dirs.get("memory", Path("/")) / "memory.max").exists()
        if v2:
            self._set("memory", "memory.max", memory)
            self._set("memory", "memory.swap.max", "0")
        else:
            self._set("memory", "memory.limit_in_bytes", memory)
        if limits.cpus:
            quota = int(limits.cpus * 100_000)
            if (self.dirs.get("cpu", Path("/")) / "cpu.max").exists():
                self._set("cpu", "cpu.max", f"{quota} 100000")
            else:
                self._set("cpu", "cpu.cfs_period_us", "100000")
                self._set("cpu", "cpu.cfs_quota_us", str(quota))

    def join(self) -> None:
        """Move the calling process into every cgroup (call in the child before exec)."""
        for path in set(self.dirs.values()):
            write_once(str(path / "cgroup.procs"), "0")

    def pids(self) -> set[int]:
        found: set[int] = set()
        for path in set(self.dirs.values()):
            with contextlib.suppress(OSError, ValueError):
                found.update(int(p) for p in (path / "cgroup.procs").read_text().split())
        return found

    def signal_all(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to every process in the cgroups once, without waiting."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)

    def kill_all(self, timeout: float = 5.0) -> None:
        """SIGKILL every process in the cgroups, including ones forked meanwhile."""
        deadline = time.monotonic() + timeout
        for path in set(self.dirs.values()):
            kill_file = path / "cgroup.kill"
            if kill_file.exists():
                with contextlib.suppress(OSError):
                    kill_file.write_text("1")
        while self.pids() and time.monotonic() < deadline:
            self.signal_all()
            time.sleep(0.002)

    def remove(self) -> None:
        """Kill what is left and delete the cgroups (waits until the kernel lets go)."""
        self.kill_all()
        for path in set(self.dirs.values()):
            delay = 0.001
            for _ in range(200):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # busy for a moment while killed processes are reaped
                    time.sleep(delay)
                    delay = min(delay * 2, 0.05)
        self.dirs.clear()

    def remove_later(self) -> None:
        """Kill everything now; delete the cgroups in the background (off the caller's path)."""
        self.signal_all()
        _reaper.submit(self.remove)
