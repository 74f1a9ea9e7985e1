"""The task gate: oracle 1, null 0, hacker 0.

``toolgym check`` runs three scripted agents on each task, each in a fresh sandbox. The oracle
proves the task is solvable and the verifier accepts a real solution; the null agent proves
the verifier does not hand out reward for doing nothing; the hacker proves the reward cannot be
faked (it writes the reward file, plants tests, replaces interpreters, injects startup hooks
and leaves daemons behind, without doing the task).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from toolgym.agents.scripted import HackerPolicy, NullPolicy, OraclePolicy
from toolgym.dockerfile import DockerfileError
from toolgym.envs import ToolEnv, make_env
from toolgym.rollout import Episode, run_episode
from toolgym.sandbox import SandboxBackend, usable_backend
from toolgym.scaffold import unfilled_markers
from toolgym.task import Task, TaskLoadError, load_task

EXPECTED = {"oracle": 1.0, "null": 0.0, "hacker": 0.0}


@dataclass
class CheckResult:
    """One task's verdict."""

    task_id: str
    rewards: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.problems


def _describe_failure(agent: str, episode: Episode) -> str:
    verifier = episode.verifier
    detail = verifier.get("reason") or (verifier.get("output") or "").strip()[-600:]
    if episode.truncation:
        detail = f"episode truncated ({episode.truncation}); " + detail
    last_tool = next(
        (m for m in reversed(episode.messages) if m.get("role") == "tool"),
        None,
    )
    if agent == "oracle" and last_tool and last_tool.get("content"):
        detail += (
            f"\n    last {last_tool.get('name') or 'tool'} output: "
            f"{str(last_tool['content']).strip()[-600:]}"
        )
    return f"{agent} got reward {episode.reward:g}, expected {EXPECTED[agent]:g}" + (
        f": {detail}" if detail else ""
    )


def gate_env(env: ToolEnv, result: CheckResult) -> None:
    """Play the oracle, the null agent and the hacker in ``env`` (on its task), recording each
    reward in ``result`` and a problem for each one that is not what a sound task gives."""
    for agent, policy in (
        ("oracle", OraclePolicy()),
        ("null", NullPolicy()),
        ("hacker", HackerPolicy()),
    ):
        episode = run_episode(env, policy)
        result.rewards[agent] = episode.reward
        if episode.reward != EXPECTED[agent]:
            result.problems.append(_describe_failure(agent, episode))


def check_task(task_path: Path | Task, backend: str | SandboxBackend = "bwrap") -> CheckResult:
    """Gate one task: no scaffold left unfilled, then oracle 1, null 0, hacker 0."""
    start = time.monotonic()
    name = task_path.id if isinstance(task_path, Task) else str(task_path)
    try:
        task = task_path if isinstance(task_path, Task) else load_task(task_path)
    except TaskLoadError as exc:
        return CheckResult(name, problems=[str(exc)], seconds=time.monotonic() - start)
    result = CheckResult(task.id)
    result.problems = unfilled_markers(task.path)
    if result.problems:  # a scaffold's placeholders could pass by accident: fill them first
        result.seconds = time.monotonic() - start
        return result
    env = None
    try:
        env = make_env(task, backend=usable_backend(backend), prewarm=False)
        env.prepare()
        gate_env(env, result)
    except (DockerfileError, TaskLoadError, FileNotFoundError, ValueError) as exc:
        result.problems.append(str(exc))
    except Exception as exc:  # report, never crash the whole gate on one task
        result.problems.append(f"{type(exc).__name__}: {exc}")
    finally:
        if env is not None:
            env.close()
    result.seconds = time.monotonic() - start
    return result
