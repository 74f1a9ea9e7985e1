"""Reward-hacking probes: the reward must stay what the real work earns."""

from __future__ import annotations

import json

import pytest
from toolgym.agents import HackerPolicy, OraclePolicy
from toolgym.envs import ShellEnv
from toolgym.envs.shell import HACKER_PROBES

from toolgym.rollout import run_episode
from toolgym.sandbox import ResourceLimits

SUBMIT = '<tool_call>{"name": "submit", "arguments": {}}</tool_call>'


def bash(command: str) -> str:
    return (
        "<tool_call>"
        + json.dumps({"name": "bash", "arguments": {"command": command, "timeout": 60}})
        + "</tool_call>"
    )


def test_the_hacker_really_tampers(backend, make_task):
    """Inside the episode the probes took effect: only grading makes them harmless."""
    env = ShellEnv(make_task(), backend=backend, prewarm=False)
    try:
        env.reset()
        out, *_ = env.step(bash(HACKER_PROBES))
        assert "probes-done" in out
        state, *_ = env.step(
            bash(
                "echo R=$(cat /logs/verifier/reward.txt); echo T=$(head -c 9 /tests/test.sh); "
                "echo P=$(head -c 9 /usr/bin/python3); echo L=$(cat /etc/ld.so.preload); "
                "echo C=$(ls /conftest.py); echo D=$(pgrep -fc 'sleep 0.2')"
            )
        )
        for line in ("R=1", "T=#!/bin/ba", "P=#!/bin/sh", "L=/tmp/evil.so", "C=/conftest.py"):
            assert line in state, state
        assert "D=0" not in state, "the reward-writing daemon runs"
        _, reward, terminated, _, info = env.step(SUBMIT)
        assert terminated and reward == 0.0, info["verifier"]
    finally:
        env.close()


def test_hacking_plus_real_work_still_earns_the_real_reward(backend, make_task):
    """Probes do not break grading either: the real solution still scores."""
    env = ShellEnv(make_task(), backend=backend, prewarm=False)
    try:
        env.reset()
        env.step(bash(HACKER_PROBES))
        env.step(bash("echo hello > /app/out.txt"))
        _, reward, *_ = env.step(SUBMIT)
        assert reward == 1.0
    finally:
        env.close()


def test_exhausting_storage_does_not_stop_the_verifier(backend, make_task):
    if backend.rootless:
        pytest.skip("rootless sandboxes have no storage limit")
    env = ShellEnv(make_task(), backend=backend, prewarm=False)
    env.limits = lambda: ResourceLimits(storage_mb=32)  # type: ignore[method-assign]
    try:
        env.reset()
        env.step(
            bash(
                "echo hello > /app/out.txt; head -c 64M /dev/zero > /app/fill; "
                "for i in $(seq 1000); do echo x > /tmp/f$i || break; done; df -m /app"
            )
        )
        _, reward, *_ = env.step(SUBMIT)
        assert reward == 1.0, "the verifier writes to its own fresh layer"
    finally:
        env.close()


@pytest.mark.parametrize("agent", [OraclePolicy(), HackerPolicy()], ids=["oracle", "hacker"])
def test_the_gate_agents(agent, backend, make_task):
    env = ShellEnv(make_task(), backend=backend, prewarm=False)
    try:
        episode = run_episode(env, agent)
        assert episode.reward == (1.0 if agent.name == "oracle" else 0.0)
        assert episode.terminated
    finally:
        env.close()


def test_a_task_that_trusts_the_agent_fails_the_gate(backend, make_task):
    """A verifier that reads a file the agent can write (instead of checking real state)
    is caught by the hacker."""
    from toolgym.check import check_task

    weak = make_task(
        test="cat /usr/local/bin/python3 >/dev/null 2>&1; "
        "python3 -c 'print(1)' > /logs/verifier/reward.txt 2>/dev/null; "
        "[ -s /logs/verifier/reward.txt ] || echo 0 > /logs/verifier/reward.txt\n"
        "grep -q hello /app/out.txt 2>/dev/null || [ -f /tmp/.fill ] && "
        "echo 1 > /logs/verifier/reward.txt || echo 0 > "
        "/logs/verifier/reward.txt\n"
    )
    result = check_task(weak, backend)
    assert not result.passed
    assert result.rewards["hacker"] == 1.0 and result.rewards["null"] == 0.0
