"""Many episodes in one process leave nothing behind: processes, descriptors, mounts,
directories, cgroups, threads; memory stays flat.

The default count keeps ``make test`` quick; set ``TOOLGYM_LOAD_EPISODES=2000`` for the full run.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest
from toolgym.envs import ShellEnv

from toolgym.sandbox import limits as cgroup_limits
from toolgym.sandbox.mounts import mounts_under
from toolgym.sandbox.pool import SpareSandbox

EPISODES = int(os.environ.get("TOOLGYM_LOAD_EPISODES", "120"))
STEP = (
    '<tool_call>{"name": "bash", "arguments": {"command": "echo hi > /app/x; ls /app"}}</tool_call>'
)
SUBMIT = '<tool_call>{"name": "submit", "arguments": {}}</tool_call>'


def descendants() -> int:
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    me, count = os.getpid(), 0
    for pid in parents:
        seen = pid
        while seen > 1 and seen in parents:
            seen = parents[seen]
            if seen == me:
                count += 1
                break
    return count


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def snapshot(backend) -> dict[str, int]:
    cgroups = 0
    for parent in set(cgroup_limits._controller_dirs().values()):
        cgroups += sum(1 for p in parent.iterdir() if p.name.startswith(f"toolgym-{os.getpid()}-"))
    return {
        "processes": descendants(),
        "fds": len(os.listdir("/proc/self/fd")),
        # Ours only: other processes (parallel test runs) mount and unmount in this namespace.
        "mounts": len(mounts_under(str(backend.runtime_dir))),
        "runtime_dirs": len(list(backend.runtime_dir.iterdir())),
        "cgroups": cgroups,
    }


def settle(backend, baseline: dict[str, int], timeout: float = 20.0) -> dict[str, int]:
    """Background clean-ups finish shortly after close: wait for them, then compare."""
    deadline = time.monotonic() + timeout
    while True:
        now = snapshot(backend)
        if all(now[k] <= baseline[k] for k in baseline) or time.monotonic() > deadline:
            return now
        time.sleep(0.1)


@pytest.mark.timeout(max(300, EPISODES))
def test_many_episodes_leak_nothing(backend, make_task):
    task = make_task()
    warm = ShellEnv(task, backend=backend)
    for _ in range(10):  # imports, caches, thread pools: created once
        warm.reset()
        warm.step(STEP)
        warm.step(SUBMIT)
    warm.close()
    gc.collect()
    baseline = settle(backend, snapshot(backend))
    memory_before = rss_kb()
    threads_before = len(os.listdir("/proc/self/task"))

    env = ShellEnv(task, backend=backend)  # prewarming on: spares are made and retired too
    for _ in range(EPISODES):
        env.reset()
        env.step(STEP)
        _, reward, terminated, _, _ = env.step(SUBMIT)
        assert terminated and reward == 0.0
    env.close()
    gc.collect()

    after = settle(backend, baseline)
    assert after == baseline, f"leaked: {after} vs {baseline}"
    assert len(os.listdir("/proc/self/task")) <= threads_before + 8  # pools, bounded
    growth_kb = rss_kb() - memory_before
    assert growth_kb < 24_000 + 8 * EPISODES, f"memory grew by {growth_kb} kB"
    assert isinstance(env._spare, SpareSandbox)
