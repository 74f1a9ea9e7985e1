"""The rollout engine: batched turns, concurrent environment steps, refills, exact tokens."""

from __future__ import annotations

import hashlib
import time

import pytest
from toolgym.agents.base import AssistantMessage, Policy, PolicyRequest, assistant_turns
from toolgym.envs import ShellEnv
from toolgym.envs.shell import oracle_command

from toolgym.engine import EpisodeJob, RolloutEngine
from toolgym.rollout import run_episode
from toolgym.task import load_task, load_tasks
from toolgym.toolcalls import ToolCall


class ScriptedPolicy(Policy):
    """Deterministic per task: some tasks get the reference solution, others a quick look."""

    name = "scripted"

    def __init__(self) -> None:
        self.batch_sizes: list[int] = []

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        self.batch_sizes.append(len(requests))
        out = []
        for request in requests:
            turn = assistant_turns(request.messages)
            solve = int(hashlib.sha256(request.task.id.encode()).hexdigest(), 16) % 2 == 0
            if turn == 0:
                command = oracle_command(request.task) if solve else "pwd; ls | head -3"
                out.append(AssistantMessage(tool_calls=[ToolCall("bash", {"command": command})]))
            elif turn == 1 and not solve:
                out.append(AssistantMessage(content="I am confused."))  # no call: an error turn
            else:
                out.append(AssistantMessage(tool_calls=[ToolCall("submit", {})]))
        return out


def outcome(episode):
    return (
        episode.reward,
        episode.steps,
        episode.end_reason,
        [(r["name"], r["output"], r["exit_code"]) for r in episode.tool_results],
        [m["role"] for m in episode.messages],
    )


@pytest.fixture(scope="module")
def shell_tasks():
    quick = [t for t in load_tasks("shell") if "timeout" not in t.name and "bisect" not in t.name]
    return quick[:16]


def test_engine_matches_a_sequential_run(shell_tasks, backend):
    jobs = [EpisodeJob(task, sample, seed=sample) for task in shell_tasks for sample in (0, 1)]
    assert len(jobs) == 32
    policy = ScriptedPolicy()
    engine = RolloutEngine(
        policy, lambda task: ShellEnv(task, backend=backend, prewarm=False), batch_size=8
    )
    batched: dict[tuple[str, int], tuple] = {}
    try:
        stats = engine.run(
            jobs,
            lambda job, ep, tokens: batched.__setitem__((job.task.id, job.sample), outcome(ep)),
        )
    finally:
        engine.close()
    assert stats.episodes == 32 and len(batched) == 32
    assert max(policy.batch_sizes) == 8, "episodes generate together"
    sequential = {}
    for job in jobs:
        env = ShellEnv(job.task, backend=backend, prewarm=False)
        try:
            sequential[(job.task.id, job.sample)] = outcome(
                run_episode(env, ScriptedPolicy(), seed=job.seed)
            )
        finally:
            env.close()
    assert batched == sequential
    rewards = [value[0] for value in batched.values()]
    assert 0 < sum(rewards) < 32, "a mix of solved and unsolved episodes"


def test_slots_refill_and_errors_do_not_stop_the_run(backend, make_task):
    good = [load_task(make_task(f"t{i}")) for i in range(6)]
    bad = load_task(make_task("bad", dockerfile="FROM node:20\n"))
    jobs = [EpisodeJob(t) for t in good[:3]] + [EpisodeJob(bad)] + [EpisodeJob(t) for t in good[3:]]
    finished, errors = [], []
    engine = RolloutEngine(
        ScriptedPolicy(), lambda task: ShellEnv(task, backend=backend), batch_size=3
    )
    try:
        engine.run(
            jobs,
            lambda job, ep, tokens: finished.append(job.task.name),
            lambda job, exc: errors.append((job.task.name, str(exc))),
        )
    finally:
        engine.close()
    assert sorted(finished) == [f"t{i}" for i in range(6)]
    assert errors and errors[0][0] == "bad" and "node:20" in errors[0][1]
    with pytest.raises(ValueError, match="batch_size"):
        RolloutEngine(ScriptedPolicy(), lambda task: None, batch_size=0)  # type: ignore[arg-type]


def test_token_level_rollouts_with_the_tiny_model(backend, tmp_path):
    pytest.importorskip("torch")
    from toolgym.agents.hf import HFPolicy, SamplingConfig

    from toolgym.generate import get_family, write_task
    from toolgym.testing import tiny_model

    policy = HFPolicy(tiny_model(), sampling=SamplingConfig(max_new_tokens=12), seed=0)
    completions: list[list[int]] = []
    original = policy.generate_ids

    def recording(prompts):
        out = original(prompts)
        completions.extend(c.token_ids for c in out)
        return out

    policy.generate_ids = recording  # type: ignore[method-assign]
    tasks = [load_task(write_task(get_family("log-count"), "train", s, tmp_path)) for s in range(3)]
    records = []
    engine = RolloutEngine(
        policy, lambda task: ShellEnv(task, backend=backend, max_steps=3), batch_size=3
    )
    try:
        engine.run(
            [EpisodeJob(t) for t in tasks], lambda job, ep, tokens: records.append((ep, tokens))
        )
    finally:
        engine.close()
    assert len(records) == 3
    sampled = {tuple(c) for c in completions}
    for episode, tokens in records:
        assert episode.steps == 3 and episode.truncation == "max_steps"
        assert len(tokens.ids) == len(tokens.mask) == len(tokens.logprobs)
        assert len(tokens.turns) == 3
        for turn in tokens.turns:
            start, size = turn["prompt_tokens"], turn["completion_tokens"]
            span = tokens.ids[start : start + size]
            assert tuple(span) in sampled, "the recorded completion is what was sampled"
            assert tokens.mask[start : start + size] == [1] * size
            assert tokens.mask[start - 1] == 0
        assert sum(tokens.mask) == sum(t["completion_tokens"] for t in tokens.turns)


class CommandPolicy(Policy):
    """First turn: a command chosen per task; then submit. Records each call's batch size."""

    name = "commands"

    def __init__(self, command_for) -> None:  # type: ignore[no-untyped-def]
        self.command_for = command_for
        self.batch_sizes: list[int] = []

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        self.batch_sizes.append(len(requests))
        return [
            AssistantMessage(tool_calls=[ToolCall("bash", {"command": self.command_for(r.task)})])
            if assistant_turns(r.messages) == 0
            else AssistantMessage(tool_calls=[ToolCall("submit", {})])
            for r in requests
        ]


def run_all(policy, env_factory, tasks, straggler_wait: float) -> None:  # type: ignore[no-untyped-def]
    """One episode per task, all in one batch."""
    engine = RolloutEngine(
        policy, env_factory, batch_size=len(tasks), straggler_wait=straggler_wait
    )
    try:
        engine.run([EpisodeJob(t) for t in tasks], lambda job, ep, tokens: None)
    finally:
        engine.close()


def test_the_first_batch_waits_for_every_reset(shell_tasks, backend):
    """Sandbox starts finish at different times; none may miss the first policy call (on a
    local model that would cost a whole extra call), however short the straggler wait."""
    tasks = shell_tasks[:6]

    class SlowReset(ShellEnv):
        def reset(self, *, seed=None, options=None):  # type: ignore[no-untyped-def]
            time.sleep(0.1 * tasks.index(self.task))
            return super().reset(seed=seed, options=options)

    policy = CommandPolicy(lambda task: "true")
    run_all(policy, lambda task: SlowReset(task, backend=backend, prewarm=False), tasks, 0.01)
    assert policy.batch_sizes == [6, 6]


def test_a_slow_step_does_not_hold_back_the_batch(shell_tasks, backend):
    tasks = shell_tasks[:4]
    policy = CommandPolicy(lambda task: "sleep 3" if task == tasks[0] else "true")
    run_all(policy, lambda task: ShellEnv(task, backend=backend, prewarm=False), tasks, 0.05)
    assert policy.batch_sizes == [4, 3, 1], "the others submit while the sleeper sleeps"
