"""The trajectory format: one JSON object per episode, one episode per line of a JSONL file.

Versioned by ``schema_version`` and documented in ``docs/trajectories.md``. Fields whose keys
vary between tasks (named rewards, tool arguments) are stored as lists of name/value pairs or
as JSON strings, so every line has the same shape and ``datasets.load_dataset("json", ...)``
reads a file of them into one table.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import toolgym
from toolgym.rollout import Episode
from toolgym.task import Task

SCHEMA_VERSION = 1


def _timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")


def _messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OpenAI chat messages with every key present (``None`` where unused)."""
    out = []
    for message in messages:
        out.append(
            {
                "role": message["role"],
                "content": message.get("content") or "",
                "tool_calls": message.get("tool_calls") or [],
                "tool_call_id": message.get("tool_call_id"),
                "name": message.get("name"),
            }
        )
    return out


def episode_record(
    episode: Episode,
    task: Task,
    *,
    sample: int,
    agent: str,
    model: str | None = None,
    run_id: str = "",
    pass_threshold: float = 1.0,
) -> dict[str, Any]:
    """The trajectory line for one finished episode."""
    verifier = episode.verifier
    rewards = verifier.get("rewards") or {"reward": episode.reward}
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "episode_id": episode.episode_id,
        "task_id": task.id,
        "suite": task.suite,
        "category": task.category,
        "difficulty": task.difficulty,
        "sample": sample,
        "seed": episode.seed,
        "agent": agent,
        "model": model,
        "messages": _messages(episode.messages),
        "tools": json.dumps(episode.tools, sort_keys=True),
        "tool_calls": [
            {
                "step": r["step"],
                "call_id": r.get("call_id"),
                "name": r.get("name") or "",
                "arguments": json.dumps(r.get("arguments", {}), sort_keys=True),
                "output": r.get("output", ""),
                "exit_code": r.get("exit_code"),
                "duration": r.get("duration", 0.0),
                "error": bool(r.get("error")),
            }
            for r in episode.tool_results
        ],
        "reward": episode.reward,
        "rewards": [{"name": k, "value": float(v)} for k, v in sorted(rewards.items())],
        "passed": episode.reward >= pass_threshold,
        "verifier": {
            "exit_code": verifier.get("exit_code"),
            "duration": verifier.get("duration", 0.0),
            "timed_out": bool(verifier.get("timed_out")),
            "reason": verifier.get("reason"),
            "output": verifier.get("output", ""),
        },
        "terminated": episode.terminated,
        "truncation": episode.truncation,
        "end_reason": episode.end_reason,
        "steps": episode.steps,
        "timing": {
            "reset": round(episode.reset_seconds, 6),
            "agent": round(episode.agent_seconds, 6),
            "env": round(episode.env_seconds, 6),
            "tools": round(episode.tool_seconds, 6),
            "verifier": round(episode.verifier_seconds, 6),
            "total": round(episode.finished_at - episode.started_at, 6),
        },
        "started_at": _timestamp(episode.started_at),
        "finished_at": _timestamp(episode.finished_at),
        "toolgym_version": toolgym.__version__,
    }


def episode_key(record: dict[str, Any]) -> tuple[str, int]:
    """What identifies an episode within a run: its task and sample index."""
    return record["task_id"], int(record["sample"])


@dataclass
class TrajectoryFile:
    """An append-only JSONL file that survives ``kill -9``.

    Each line is written whole with one ``write`` and fsync'd before the next, so after a crash
    the file holds complete lines plus at most one partial last line, which :meth:`recover`
    cuts off. Safe to share between threads.
    """

    path: Path

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def recover(self) -> list[dict[str, Any]]:
        """Read the complete records, dropping a torn last line left by a crash."""
        if not self.path.exists():
            return []
        data = self.path.read_bytes()
        good = data.rfind(b"\n") + 1
        records = []
        for number, line in enumerate(data[:good].splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(
                    f"{self.path}:{number}: not a JSON trajectory line ({exc})"
                ) from None
        if good < len(data):
            with open(self.path, "r+b") as handle:
                handle.truncate(good)
        return records

    def append(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)


def read_trajectories(path: Path | str) -> Iterator[dict[str, Any]]:
    """Iterate over the records of a trajectories file."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
