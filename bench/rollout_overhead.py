"""How much wall time the rollout engine adds beyond generation, at B concurrent episodes.

    python bench/rollout_overhead.py [--batch 1 16 64 256] [--latency 1.0] [--json out.json]

A fake policy stands in for the model: every call (one batch of B conversations) takes a fixed
``--latency`` seconds, as a GPU decoding a batch of turns would, and answers with a fixed script
of realistic commands (``ls -la``, ``wc -l`` over the workspace, ``grep``, then ``submit``).
Everything else is real: ShellEnv sandboxes, resets, tool-call parsing, commands, verifiers,
slot refills. The overhead is ``1 - generation time / wall time``; the goal is under 5% at B = 64.
"steady" leaves out the run's start-up (the first B resets, before any generation) and drain
(grading the last episodes), which a long training run pays once.

Two workloads: ``light`` tasks (a small workspace and a one-line verifier), which isolate what
the engine and the sandboxes cost, and the real ``shell`` suite, whose verifiers rebuild their
inputs and run Python checks (tens to hundreds of CPU milliseconds per episode), which is
the tasks' own cost and bounded by the machine's cores.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from toolgym.agents.base import AssistantMessage, Policy, PolicyRequest, assistant_turns
from toolgym.envs import ShellEnv

from toolgym.engine import EpisodeJob, RolloutEngine
from toolgym.sandbox import get_backend
from toolgym.task import load_tasks
from toolgym.toolcalls import ToolCall

SCRIPT = ["ls -la", "find . -type f | head -20 | xargs wc -l | tail -1", "grep -rn . | head -5"]


class FixedLatencyPolicy(Policy):
    """Answers every batch after ``latency`` seconds, whatever its size."""

    name = "fixed-latency"

    def __init__(self, latency: float) -> None:
        self.latency = latency

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        time.sleep(self.latency)
        out = []
        for request in requests:
            turn = assistant_turns(request.messages)
            call = (
                ToolCall("bash", {"command": SCRIPT[turn]})
                if turn < len(SCRIPT)
                else ToolCall("submit", {})
            )
            out.append(AssistantMessage(tool_calls=[call]))
        return out


def light_tasks(root: Path, count: int = 8) -> list:
    """Small tasks whose verifier is one shell test (the engine's own cost shows)."""
    from toolgym.task import load_task

    tasks = []
    for index in range(count):
        task = root / f"light-{index}"
        (task / "environment").mkdir(parents=True)
        (task / "tests").mkdir()
        for number in range(20):
            (task / "environment" / f"f{number}.txt").write_text(f"line {number}\n" * 50)
        (task / "environment" / "Dockerfile").write_text(
            "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . /app/\n"
        )
        (task / "task.toml").write_text('[metadata]\ncategory = "bench"\n')
        (task / "instruction.md").write_text("Look around, then submit.")
        (task / "tests" / "test.sh").write_text(
            "[ -f /app/f1.txt ] && echo 1 > /logs/verifier/reward.txt\n"
        )
        tasks.append(load_task(task))
    return tasks


def measure(batch: int, latency: float, waves: int, tasks: list) -> dict[str, float]:
    backend = get_backend("bwrap")
    jobs = [
        EpisodeJob(task, sample=i)
        for i, task in zip(range(batch * waves), itertools.cycle(tasks), strict=False)
    ]
    engine = RolloutEngine(
        FixedLatencyPolicy(latency),
        lambda task: ShellEnv(task, backend=backend, prewarm=False),
        batch_size=batch,
    )
    try:
        stats = engine.run(jobs, lambda job, episode, tokens: None)
    finally:
        engine.close()
    return {
        "batch": batch,
        "episodes": stats.episodes,
        "turns": stats.turns,
        "generate_calls": stats.generate_calls,
        "wall_seconds": stats.wall_seconds,
        "generate_seconds": stats.generate_seconds,
        "overhead_fraction": stats.overhead_fraction,
        "startup_seconds": stats.startup_seconds,
        "drain_seconds": stats.drain_seconds,
        "steady_overhead_fraction": stats.steady_overhead_fraction,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 16, 64, 256])
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per policy call")
    parser.add_argument("--waves", type=int, default=4, help="episodes per slot")
    parser.add_argument("--tasks", default="shell")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    workloads = {
        "light": light_tasks(Path(tempfile.mkdtemp(prefix="toolgym-bench-"))),
        "shell": load_tasks(args.tasks),
    }
    backend = get_backend("bwrap")
    table = Table(
        "workload",
        "B",
        "episodes",
        "policy calls",
        "wall s",
        "generation s",
        "start-up s",
        "drain s",
        "overhead",
        "steady overhead",
        title=f"Rollout engine overhead (fixed {args.latency:g} s per policy call, "
        f"{os.cpu_count()} CPUs)",
    )
    rows = []
    for name, tasks in workloads.items():
        for task in tasks:  # templates are cached before timing
            backend.prepare(task)
        for batch in args.batch:
            row = {"workload": name, **measure(batch, args.latency, args.waves, tasks)}
            rows.append(row)
            table.add_row(
                name,
                str(row["batch"]),
                str(row["episodes"]),
                str(row["generate_calls"]),
                f"{row['wall_seconds']:.1f}",
                f"{row['generate_seconds']:.1f}",
                f"{row['startup_seconds']:.1f}",
                f"{row['drain_seconds']:.1f}",
                f"{row['overhead_fraction']:.1%}",
                f"{row['steady_overhead_fraction']:.1%}",
            )
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
