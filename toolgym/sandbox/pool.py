"""Start the next episode's sandbox while the current one runs, so ``reset`` only swaps.

A cold start costs a few overlay mounts, a ``bwrap`` start and a bash start (about 10-15 ms on
our machines). An environment runs for seconds between resets, so starting its next sandbox in
the background right after a reset hides that cost entirely; a spare whose template no longer
matches (the task changed) is closed and a cold start is made instead.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from toolgym.sandbox.base import Sandbox, SandboxBackend, Template
from toolgym.sandbox.limits import ResourceLimits

BACKGROUND_NICENESS = 10


def lower_thread_priority() -> None:
    """Make the calling thread, and every process it starts, yield the CPU to urgent work.

    Background work (starting spare sandboxes, grading finished episodes) then runs while the
    CPU is otherwise idle, for instance while a policy generates on the GPU, instead of slowing
    the steps a batch waits for. Only as root: without it a sandbox started this way could not
    be given its normal priority back when an episode takes it.
    """
    if os.geteuid() == 0:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)


_executor = ThreadPoolExecutor(
    max_workers=4, thread_name_prefix="toolgym-spare", initializer=lower_thread_priority
)
atexit.register(_executor.shutdown, wait=True, cancel_futures=True)


def _started(backend: SandboxBackend, template: Template, limits: ResourceLimits) -> Sandbox:
    sandbox = backend.create(template, limits)
    try:
        sandbox.open_shell()
    except BaseException:
        sandbox.close()
        raise
    return sandbox


class SpareSandbox:
    """Holds at most one started sandbox for the next episode of one environment."""

    def __init__(self, backend: SandboxBackend, enabled: bool = True) -> None:
        self.backend = backend
        self.enabled = enabled
        self._future: Future[Sandbox] | None = None
        self._key: tuple[str, ResourceLimits] | None = None
        self._retiring: list[Future[None]] = []

    def take(self, template: Template, limits: ResourceLimits) -> Sandbox:
        """A started sandbox for ``template``: the spare when it fits, else a cold start."""
        key = (template.key, limits)
        future, self._future = self._future, None
        sandbox = None
        if future is not None:
            if self._key == key:
                with contextlib.suppress(Exception):  # a failed spare: start cold instead
                    sandbox = future.result()
            else:
                _executor.submit(_close_when_done, future)
        if sandbox is None:
            sandbox = _started(self.backend, template, limits)
        else:
            sandbox.set_niceness(0)  # started in the background: back to normal priority
        if self.enabled:
            self._key = key
            self._future = _executor.submit(_started, self.backend, template, limits)
        return sandbox

    def prime(self, template: Template, limits: ResourceLimits) -> None:
        """Start a spare for ``template`` now (for a scheduler that knows the next task)."""
        key = (template.key, limits)
        if self._future is not None and self._key == key:
            return
        if self._future is not None:
            _executor.submit(_close_when_done, self._future)
        self._key = key
        self._future = _executor.submit(_started, self.backend, template, limits)

    def retire(self, sandbox: Sandbox) -> None:
        """Close a finished episode's sandbox off the reset path.

        Its processes are killed now (nothing of an episode outlives its reset); removing its
        cgroup and files happens in the background, and :meth:`close` waits for it.
        """
        sandbox.kill()
        self._retiring = [f for f in self._retiring if not f.done()]
        self._retiring.append(_executor.submit(sandbox.close))

    def close(self) -> None:
        future, self._future = self._future, None
        if future is not None:
            _close_when_done(future)
        for pending in self._retiring:
            with contextlib.suppress(Exception):
                pending.result()
        self._retiring.clear()


def _close_when_done(future: Future[Sandbox]) -> None:
    with contextlib.suppress(Exception):
        future.result().close()
