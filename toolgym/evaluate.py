"""``toolgym eval``: run every (task, sample) episode of a policy, N at a time, resumably.

Episodes run through the :class:`~toolgym.engine.RolloutEngine` (``-j`` concurrent episodes,
the policy called once per turn for all of them).

Each finished episode is appended to ``OUT/trajectories.jsonl`` at once (fsync'd, see
:class:`~toolgym.trajectory.TrajectoryFile`); re-running with the same ``OUT`` skips the episodes
already there, so a crash or ``kill -9`` loses at most the episodes in flight and never
duplicates one. ``OUT/summary.json`` (pass@k, per category and task) is written at the end.
Episodes that fail for infrastructure reasons (not the agent's) go to ``OUT/errors.jsonl`` and
are retried by the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from toolgym.agents.base import Policy
from toolgym.engine import EpisodeJob, RolloutEngine
from toolgym.envs import ToolEnv, make_env
from toolgym.metrics import summarize
from toolgym.rollout import Episode
from toolgym.sandbox import usable_backend
from toolgym.task import Task, load_tasks
from toolgym.tokens import TokenRecord
from toolgym.trajectory import SCHEMA_VERSION, TrajectoryFile, episode_key, episode_record

RUN_FILE = "run.json"
TRAJECTORIES_FILE = "trajectories.jsonl"
SUMMARY_FILE = "summary.json"
ERRORS_FILE = "errors.jsonl"
# Settings a resumed run must share with the run it continues (more samples are fine).
_MUST_MATCH = ("agent", "model", "seed", "max_steps", "backend", "pass_threshold")


@dataclass
class EvalConfig:
    """What ``toolgym eval`` runs. Field names match the command-line options."""

    tasks: list[str]
    agent: str
    out: Path
    samples: int = 1
    jobs: int = 1
    seed: int = 0
    max_steps: int = 50
    backend: str = "bwrap"
    pass_threshold: float = 1.0
    model: str | None = None
    save_tokens: bool = False

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise ValueError(f"--samples must be at least 1, got {self.samples}")
        if self.jobs < 1:
            raise ValueError(f"--jobs must be at least 1, got {self.jobs}")
        self.out = Path(self.out)

    def manifest(self) -> dict[str, Any]:
        data = asdict(self)
        data["out"] = str(self.out)
        data["schema_version"] = SCHEMA_VERSION
        return data


class EvalConfigMismatch(ValueError):
    """``--out`` holds a run made with different settings."""


def episode_seed(base_seed: int, task_id: str, sample: int) -> int:
    """A stable per-episode seed: the same run settings give the same seeds."""
    digest = hashlib.sha256(f"{base_seed}:{task_id}:{sample}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _write_json_atomically(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def _check_manifest(out: Path, config: EvalConfig) -> None:
    path = out / RUN_FILE
    current = config.manifest()
    if path.exists():
        previous = json.loads(path.read_text())
        for key in _MUST_MATCH:
            if previous.get(key) != current.get(key):
                raise EvalConfigMismatch(
                    f"{out} holds a run made with {key}={previous.get(key)!r}, not "
                    f"{current.get(key)!r}: resume with the same settings or use another --out"
                )
        current["tasks"] = sorted(set(previous.get("tasks", [])) | set(current["tasks"]))
        current["samples"] = max(previous.get("samples", 1), current["samples"])
    _write_json_atomically(path, current)


@dataclass
class EvalRun:
    """One invocation of an evaluation (a fresh run or a resumed one)."""

    config: EvalConfig
    policy: Policy
    console: Console = field(default_factory=Console)
    env_factory: Callable[[Task], ToolEnv] | None = None

    def __post_init__(self) -> None:
        self.out = self.config.out
        self.trajectories = TrajectoryFile(self.out / TRAJECTORIES_FILE)
        self.passed = 0
        self.done = 0
        self.errors = 0

    def _make_env(self, task: Task) -> ToolEnv:
        if self.env_factory is not None:
            return self.env_factory(task)
        # No prewarming: slots move from task to task, so a spare would rarely be used.
        return make_env(
            task,
            backend=usable_backend(self.config.backend),
            max_steps=self.config.max_steps,
            prewarm=False,
        )

    def _record_error(self, task: Task, sample: int, exc: BaseException) -> None:
        entry = {
            "task_id": task.id,
            "sample": sample,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": "".join(traceback.format_exception(exc, limit=8)),
            "at": time.time(),
        }
        with open(self.out / ERRORS_FILE, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")

    def run(self, show_progress: bool = True) -> dict[str, Any]:
        """Run what is left of the evaluation and return (and write) its summary."""
        self.out.mkdir(parents=True, exist_ok=True)
        _check_manifest(self.out, self.config)
        tasks = load_tasks(self.config.tasks)
        existing = self.trajectories.recover()
        finished = {episode_key(r) for r in existing}
        todo: dict[str, tuple[Task, list[int]]] = {}
        for task in tasks:
            missing = [s for s in range(self.config.samples) if (task.id, s) not in finished]
            if missing:
                todo[task.id] = (task, missing)
        total = sum(len(samples) for _, samples in todo.values())
        start = time.monotonic()
        progress = Progress(
            TextColumn("[bold]eval[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("passed {task.fields[passed]}"),
            TextColumn("{task.fields[rate]:.2f} ep/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            disable=not show_progress,
        )
        jobs = [
            EpisodeJob(task, sample, episode_seed(self.config.seed, task.id, sample))
            for task, samples in todo.values()
            for sample in samples
        ]
        engine = RolloutEngine(
            self.policy,
            self._make_env,
            batch_size=self.config.jobs,
            token_level=self.config.save_tokens or None,
        )
        with progress:
            bar = progress.add_task("eval", total=total, passed=0, rate=0.0)

            def advance(passed: bool) -> None:
                self.done += 1
                self.passed += int(passed)
                rate = self.done / max(time.monotonic() - start, 1e-9)
                progress.update(bar, advance=1, passed=self.passed, rate=rate)

            def finished(job: EpisodeJob, episode: Episode, tokens: TokenRecord | None) -> None:
                record = episode_record(
                    episode,
                    job.task,
                    sample=job.sample,
                    agent=self.config.agent,
                    model=self.config.model,
                    run_id=self.out.name,
                    pass_threshold=self.config.pass_threshold,
                )
                if tokens is not None and self.config.save_tokens:
                    record["tokens"] = tokens.to_json()
                self.trajectories.append(record)
                advance(record["passed"])

            def failed(job: EpisodeJob, exc: BaseException) -> None:
                self._record_error(job.task, job.sample, exc)
                self.errors += 1
                advance(False)

            try:
                engine.run(jobs, finished, failed)
            finally:
                engine.close()
        wall = time.monotonic() - start
        wanted = {t.id for t in tasks}
        records = [
            r
            for r in self.trajectories.recover()
            if r["task_id"] in wanted and r["sample"] < self.config.samples
        ]
        summary = summarize(records, self.config.samples)
        summary.update(
            agent=self.config.agent,
            model=self.config.model,
            episodes_run=self.done,
            episodes_resumed=len(records) - (self.done - self.errors),
            errors=self.errors,
            wall_seconds=round(wall, 3),
            episodes_per_second=round(self.done / wall, 4) if wall > 0 and self.done else None,
        )
        _write_json_atomically(self.out / SUMMARY_FILE, summary)
        return summary


def summary_table(summary: dict[str, Any]) -> Table:
    """Per-category results with pass@k columns, and the overall line."""
    ks = summary["k"]
    table = Table(title=f"{summary.get('agent', '')} · {summary['samples']} sample(s) per task")
    table.add_column("category")
    table.add_column("tasks", justify="right")
    table.add_column("episodes", justify="right")
    table.add_column("mean reward", justify="right")
    for k in ks:
        table.add_column(f"pass@{k}", justify="right")

    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    def row(name: str, data: dict[str, Any], style: str | None = None) -> None:
        table.add_row(
            name,
            str(data["tasks"]),
            str(data["episodes"]),
            fmt(data["mean_reward"]),
            *[fmt(data.get(f"pass@{k}")) for k in ks],
            style=style,
        )

    for name, data in summary["by_category"].items():
        row(name, data)
    row("all", summary["overall"], style="bold")
    return table
