"""Sandboxes started from many threads at once survive fork guards like filelock's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import toolgym.forking as forking
from toolgym.forking import fork_safely, is_fork_guard_error

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")
GUARD = "os.forkpty is unsafe while filelock is changing descriptor ownership"

# The guard filelock >= 4 installs on CPython 3.12+, reproduced so the test runs on any Python:
# a fork refused while another thread of the process is between its fork hooks. The before-hook
# sleeps to widen that window, so unserialised forks from several threads collide every time.
GUARDED_RESETS = textwrap.dedent(
    """
    import os, sys, threading, time
    forking, lock = set(), threading.Lock()

    def before():
        with lock:
            forking.add(threading.get_ident())
        time.sleep(0.02)

    def after():
        with lock:
            forking.discard(threading.get_ident())

    os.register_at_fork(before=before, after_in_parent=after)

    def guard(event, args):
        if event in ("os.fork", "os.forkpty") and forking:
            raise RuntimeError(f"{event} is unsafe while filelock is changing descriptor ownership")

    sys.addaudithook(guard)

    from toolgym.envs import make_env
    from toolgym.sandbox.bwrap import BwrapBackend
    from toolgym.task import load_task

    task = load_task(sys.argv[1])
    backend = BwrapBackend(cache_dir=sys.argv[2])
    backend.prepare(task)
    errors = []

    def episode():
        env = make_env(task, backend=backend, prewarm=False)
        try:
            env.reset()
            env.step('<tool_call>{"name": "bash", "arguments": {"command": "echo hi"}}</tool_call>')
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            env.close()

    threads = [threading.Thread(target=episode) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    backend.close()
    print(errors)
    sys.exit(1 if errors else 0)
    """
)


@needs_bwrap
def test_concurrent_resets_pass_a_fork_guard(
    make_task: Callable[..., Path], tmp_path: Path
) -> None:
    task = make_task()
    result = subprocess.run(
        [sys.executable, "-c", GUARDED_RESETS, str(task), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


def test_a_refused_fork_is_retried_and_other_errors_are_not() -> None:
    calls = []

    def refused_twice() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError(GUARD)
        return "forked"

    assert fork_safely(refused_twice) == "forked"
    assert len(calls) == 3
    assert is_fork_guard_error(RuntimeError(GUARD))

    def broken() -> None:
        raise RuntimeError("something else")

    with pytest.raises(RuntimeError, match="something else"):
        fork_safely(broken)


def test_the_lock_covers_the_fork_not_the_child_set_up() -> None:
    """Released in the parent as soon as it has forked: a sandbox child's mounts and cgroup
    work before ``exec`` must not hold other threads' sandbox starts back."""

    def fork_and_look() -> bool:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        held = forking.FORK_LOCK.locked()
        os.waitpid(pid, 0)
        return held

    assert fork_safely(fork_and_look) is False
    assert not forking.FORK_LOCK.locked()
