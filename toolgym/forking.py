"""Forking from many threads at once without tripping other libraries' fork guards.

Rollouts start sandboxes from worker threads, many at the same moment. filelock 4 (which
huggingface_hub, datasets and torch pull in) installs a Python audit hook on CPython 3.12+
that makes ``os.fork``/``os.forkpty`` raise ``RuntimeError("... is unsafe while filelock is
changing descriptor ownership")`` whenever another thread of the process is between its fork
hooks, that is, while another thread is forking. Seen on the GPU machine: a GRPO step that reset
64 shell environments at once died on it.

So every fork toolgym makes (pexpect's pty fork, ``Popen`` with a ``preexec_fn``, the
user-namespace helper) goes through :func:`fork_safely`: one process-wide lock serialises our
own forks (each takes about a millisecond), and the rare collision with a fork made by someone
else's thread is retried after a short pause.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

FORK_LOCK = threading.Lock()
_GUARD_MESSAGE = "unsafe while filelock is changing descriptor ownership"
_ATTEMPTS = 50


def is_fork_guard_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a fork refused because another thread was forking at that moment."""
    return isinstance(exc, RuntimeError) and _GUARD_MESSAGE in str(exc)


def fork_safely(call: Callable[[], T]) -> T:
    """Run ``call`` (which forks) under the fork lock, retrying a refused fork."""
    for attempt in range(_ATTEMPTS):
        with FORK_LOCK:
            try:
                return call()
            except RuntimeError as exc:
                if not is_fork_guard_error(exc) or attempt == _ATTEMPTS - 1:
                    raise
        time.sleep(0.001 * (attempt + 1))  # another library's thread is forking: let it finish
    raise AssertionError("unreachable")
