"""Forking from many threads at once without tripping other libraries' fork guards.

Rollouts start sandboxes from worker threads, many at the same moment. filelock 4 (which
huggingface_hub, datasets and torch pull in) installs a Python audit hook on CPython 3.12+
that makes ``os.fork``/``os.forkpty`` raise ``RuntimeError("... is unsafe while filelock is
changing descriptor ownership")`` whenever another thread of the process is between its fork
hooks, that is, while another thread is forking. Seen on the GPU machine: a GRPO step that reset
64 shell environments at once died on it.

So every fork toolgym makes (pexpect's pty fork, ``Popen`` with a ``preexec_fn``, the
user-namespace helper) goes through :func:`fork_safely`: one process-wide lock serialises our
own forks, and the rare collision with a fork made by someone else's thread is retried after a
short pause. The lock covers the fork only: an after-fork hook in the parent releases it, so
the child's set-up until ``exec`` (tens of milliseconds of cgroup and mount work in a sandbox
start) does not hold other threads' starts back. That hook is registered after filelock's own,
so filelock has lowered its guard by the time the next thread may fork.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

FORK_LOCK = threading.Lock()
_held = threading.local()  # whether this thread holds FORK_LOCK for a fork in progress
_GUARD_MESSAGE = "unsafe while filelock is changing descriptor ownership"
_ATTEMPTS = 50


def is_fork_guard_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a fork refused because another thread was forking at that moment."""
    return isinstance(exc, RuntimeError) and _GUARD_MESSAGE in str(exc)


def _release() -> None:
    """Release FORK_LOCK if this thread holds it (after its fork, or when none happened)."""
    if getattr(_held, "lock", False):
        _held.lock = False
        FORK_LOCK.release()


def _fresh_lock_in_child() -> None:
    """A forked child that goes on running Python starts with a lock no thread holds."""
    global FORK_LOCK
    FORK_LOCK = threading.Lock()
    _held.lock = False


def fork_safely(call: Callable[[], T]) -> T:
    """Run ``call`` (which forks) holding the fork lock until it has forked; retry a fork
    refused by another library's guard."""
    for attempt in range(_ATTEMPTS):
        FORK_LOCK.acquire()
        _held.lock = True
        try:
            return call()
        except RuntimeError as exc:
            if not is_fork_guard_error(exc) or attempt == _ATTEMPTS - 1:
                raise
        finally:
            _release()  # the call did not fork (refused, or failed before forking)
        time.sleep(0.001 * (attempt + 1))  # another library's thread is forking: let it finish
    raise AssertionError("unreachable")


with contextlib.suppress(ImportError):  # its hooks first, so ours run after them
    import filelock  # noqa: F401
os.register_at_fork(after_in_parent=_release, after_in_child=_fresh_lock_in_child)
