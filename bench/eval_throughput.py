"""Episodes per second of ``toolgym eval`` with the oracle on the shell suite, at several -j.

    python bench/eval_throughput.py [--tasks shell] [--jobs 1 2 4 8] [--json out.json]

Templates are prepared once before timing (a cached template is the normal case). For each
``-j`` a fresh run directory is used; the table gives wall-clock episodes per second, the
speed-up over ``-j 1`` measured in the same run, and where the episodes' time went: sandbox
set-up (``reset``), the agent's commands (``tools``), the verifier, and the rest (policy, tool-
call parsing, observation building, the agent loop).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from toolgym.agents import OraclePolicy

from toolgym.evaluate import EvalConfig, EvalRun
from toolgym.sandbox import get_backend
from toolgym.task import load_tasks
from toolgym.trajectory import read_trajectories


def measure(tasks: str, jobs: int, root: Path) -> dict[str, float]:
    out = root / f"j{jobs}"
    config = EvalConfig(tasks=[tasks], agent="oracle", out=out, jobs=jobs)
    quiet = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    start = time.monotonic()
    summary = EvalRun(config, OraclePolicy(), console=quiet).run(show_progress=False)
    wall = time.monotonic() - start
    records = list(read_trajectories(out / "trajectories.jsonl"))
    parts = {k: sum(r["timing"][k] for r in records) for k in ("reset", "tools", "verifier")}
    total = sum(r["timing"]["total"] for r in records)
    return {
        "jobs": jobs,
        "episodes": len(records),
        "wall_seconds": wall,
        "episodes_per_second": len(records) / wall,
        "pass@1": summary["overall"]["pass@1"],
        "setup_fraction": parts["reset"] / total,
        "commands_fraction": parts["tools"] / total,
        "verifier_fraction": parts["verifier"] / total,
        "other_fraction": 1 - sum(parts.values()) / total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="shell")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    backend = get_backend("bwrap")
    for task in load_tasks(args.tasks):  # warm the template cache: not part of the timing
        backend.prepare(task)
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(args.tasks, jobs, Path(tmp)) for jobs in args.jobs]
    base = rows[0]["episodes_per_second"]
    table = Table(
        "-j",
        "episodes",
        "wall s",
        "episodes/s",
        "speed-up",
        "pass@1",
        "set-up",
        "commands",
        "verifier",
        "other",
        title=f"toolgym eval, oracle agent, {args.tasks} suite ({os.cpu_count()} CPUs)",
    )
    for row in rows:
        table.add_row(
            str(row["jobs"]),
            str(row["episodes"]),
            f"{row['wall_seconds']:.1f}",
            f"{row['episodes_per_second']:.2f}",
            f"{row['episodes_per_second'] / base:.2f}x",
            f"{row['pass@1']:.3f}",
            *[
                f"{row[k]:.1%}"
                for k in (
                    "setup_fraction",
                    "commands_fraction",
                    "verifier_fraction",
                    "other_fraction",
                )
            ],
        )
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
