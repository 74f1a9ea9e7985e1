"""ShellEnv's Gymnasium contract: spaces, budgets, truncation reasons, rewards, check_env."""

from __future__ import annotations

import json

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env
from toolgym.envs import ShellEnv, ToolText

import toolgym  # noqa: F401 - registers the environments

SUBMIT = '<tool_call>{"name": "submit", "arguments": {}}</tool_call>'


def bash(command: str, **extra: object) -> str:
    return (
        "<tool_call>"
        + json.dumps({"name": "bash", "arguments": {"command": command, **extra}})
        + "</tool_call>"
    )


@pytest.fixture
def env(backend, make_task):
    environment = ShellEnv(make_task(), backend=backend, max_steps=5)
    yield environment
    environment.close()


def test_registered_and_made_through_gym(backend, make_task):
    env = gym.make("toolgym/Shell-v0", task=str(make_task()), backend=backend)
    try:
        observation, info = env.reset(seed=3)
        assert "Write hello to /app/out.txt." in observation
        assert [t["function"]["name"] for t in info["tools"]] == ["bash", "submit"]
        assert info["task_id"] == "suite/demo"
    finally:
        env.close()


def test_gymnasium_check_env_passes(backend, make_task):
    env = gym.make("toolgym/Shell-v0", task=str(make_task()), backend=backend, render_mode="ansi")
    try:
        check_env(env.unwrapped, skip_render_check=False)
    finally:
        env.close()


def test_full_episode_rewards_only_at_the_end(env):
    _observation, info = env.reset()
    assert info["max_steps"] == 5
    out, reward, terminated, truncated, info = env.step(bash("echo hello > out.txt; cat out.txt"))
    assert out == "hello\n[exit code 0]" and reward == 0.0 and not (terminated or truncated)
    assert info["tool_results"][0]["exit_code"] == 0
    assert info["tool_calls"][0]["function"]["name"] == "bash"
    out, reward, terminated, truncated, info = env.step(SUBMIT)
    assert (reward, terminated, truncated) == (1.0, True, False)
    assert info["termination"] == "submitted" and info["truncation"] is None
    assert info["verifier"]["reward"] == 1.0
    with pytest.raises(gym.error.ResetNeeded):
        env.step(SUBMIT)


def test_malformed_and_unknown_calls_explain_and_continue(env):
    env.reset()
    out, _, terminated, truncated, _ = env.step("I will now list files.")
    assert out.startswith("Error: No tool call found") and "<tool_call>" in out
    assert not (terminated or truncated)
    out, *_ = env.step('<tool_call>{"name": "bash", "arguments": {"command": </tool_call>')
    assert "could not read tool call 1: invalid JSON" in out and "Expected:" in out
    out, *_ = env.step('<tool_call>{"name": "python", "arguments": {}}</tool_call>')
    assert "unknown tool 'python'" in out and "bash, submit" in out
    out, *_ = env.step('<tool_call>{"name": "bash", "arguments": {"cmd": "ls"}}</tool_call>')
    assert "bad arguments for bash(command: string, timeout?: integer)" in out
    out, _reward, terminated, truncated, _info = env.step(bash("echo still-here"))
    assert "still-here" in out


def test_several_calls_in_one_message_and_calls_after_submit(env):
    env.reset()
    message = bash("echo one") + bash("echo hello > /app/out.txt") + SUBMIT + bash("echo late")
    out, reward, terminated, _, info = env.step(message)
    assert terminated and reward == 1.0
    assert out.startswith("[1] bash\none\n[exit code 0]")
    assert "[4] bash\nError: not run: an earlier call in this message ended the episode" in out
    assert len(info["tool_results"]) == 4


def test_step_budget_truncates_with_reason(env):
    env.reset()
    for _ in range(4):
        *_, terminated, truncated, _ = env.step(bash("true"))
        assert not (terminated or truncated)
    _, reward, terminated, truncated, info = env.step(bash("echo hello > /app/out.txt"))
    assert truncated and not terminated and info["truncation"] == "max_steps"
    assert reward == 1.0, "the verifier still grades the state reached"


def test_agent_timeout_truncates_with_reason(backend, make_task):
    env = ShellEnv(make_task(), backend=backend, agent_timeout=1.0)
    try:
        env.reset()
        out, _reward, _terminated, truncated, info = env.step(bash("sleep 10"))
        assert truncated and info["truncation"] == "agent_timeout"
        assert "timed out" in out
        assert info["tool_results"][0]["meta"]["cutoff"] == "timeout"
    finally:
        env.close()


def test_command_timeout_argument(env):
    env.reset()
    out, *_, _info = env.step(bash("sleep 10", timeout=1))
    assert "[command timed out after 1s and was interrupted]" in out
    out, *_ = env.step(bash("echo ok"))
    assert out == "ok\n[exit code 0]"


def test_observations_stay_in_the_space(env):
    env.reset()
    out, *_ = env.step(bash("printf 'a\\x00b\\x1b[31mc\\r\\n\\xff'"))
    assert env.observation_space.contains(out)
    assert "\x00" not in out and "\x1b" not in out


def test_reset_starts_fresh_and_render(backend, make_task):
    env = ShellEnv(make_task(), backend=backend, render_mode="ansi")
    try:
        env.reset()
        env.step(bash("echo hello > /app/out.txt; export X=1"))
        env.reset()
        out, *_ = env.step(bash("cat /app/out.txt; echo X=$X"))
        assert "No such file" in out and "X=\n" in out
        text = env.render()
        assert text.startswith("[user]\n") and "[assistant]" in text and "X=" in text
    finally:
        env.close()


def test_task_can_be_switched_at_reset(backend, make_task):
    other = make_task("other", instruction="The other task.")
    env = ShellEnv(make_task(), backend=backend)
    try:
        observation, info = env.reset(options={"task": str(other)})
        assert observation.startswith("The other task.") and info["task_id"] == "suite/other"
    finally:
        env.close()


def test_text_space_membership():
    space = ToolText(10)
    assert space.contains("héllo\n\tx")
    assert not space.contains("a\x00")
    assert not space.contains("x" * 11)
    assert not space.contains(b"bytes")
    assert space.contains(space.sample())


def test_bad_constructor_arguments(make_task):
    with pytest.raises(ValueError, match="max_steps"):
        ShellEnv(make_task(), max_steps=0)
    with pytest.raises(ValueError, match="render_mode"):
        ShellEnv(make_task("b"), render_mode="human")
