"""Rewards are read strictly, and nothing the agent does to the reward channel counts."""

from __future__ import annotations

import json
import os

import pytest
from toolgym.envs import ShellEnv

from toolgym.verifier import RewardFileError, read_reward

SUBMIT = '<tool_call>{"name": "submit", "arguments": {}}</tool_call>'


def bash(command: str) -> str:
    return (
        "<tool_call>"
        + json.dumps({"name": "bash", "arguments": {"command": command}})
        + "</tool_call>"
    )


@pytest.mark.parametrize(
    ("files", "key", "expected"),
    [
        ({"reward.txt": "1\n"}, None, (1.0, {"reward": 1.0})),
        ({"reward.txt": " 0.25 "}, None, (0.25, {"reward": 0.25})),
        (
            {"reward.json": '{"reward": 0.5, "style": 1}'},
            None,
            (0.5, {"reward": 0.5, "style": 1.0}),
        ),
        ({"reward.json": '{"accuracy": 1}'}, None, (1.0, {"accuracy": 1.0})),
        ({"reward.json": '{"a": 0, "b": 1}'}, "b", (1.0, {"a": 0.0, "b": 1.0})),
        ({"reward.txt": "0", "reward.json": '{"reward": 1}'}, None, (0.0, {"reward": 0.0})),
    ],
)
def test_reward_files(tmp_path, files, key, expected):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert read_reward(tmp_path, key) == expected


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({}, "neither reward.txt nor reward.json"),
        ({"reward.txt": ""}, "expected a number"),
        ({"reward.txt": "1 1"}, "expected a number"),
        ({"reward.txt": "PASSED"}, "expected a number"),
        ({"reward.txt": "nan"}, "expected a number"),
        ({"reward.txt": "1e999"}, "must be finite"),
        ({"reward.txt": "2"}, "outside [0, 1]"),
        ({"reward.txt": "-0.5"}, "outside [0, 1]"),
        ({"reward.txt": "1" * 70000}, "larger than"),
        ({"reward.txt": b"\xff\xfe"}, "not UTF-8"),
        ({"reward.json": "[1]"}, "non-empty object"),
        ({"reward.json": "{}"}, "non-empty object"),
        ({"reward.json": '{"reward": true}'}, "expected a number"),
        ({"reward.json": '{"a": 1, "b": 0}'}, "no main one"),
        ({"reward.json": "{oops"}, "invalid JSON"),
    ],
)
def test_malformed_reward_files(tmp_path, files, words):
    for name, text in files.items():
        path = tmp_path / name
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
    with pytest.raises(RewardFileError) as info:
        read_reward(tmp_path)
    assert words in str(info.value)


def test_reward_key_must_exist(tmp_path):
    (tmp_path / "reward.json").write_text('{"a": 1}')
    with pytest.raises(RewardFileError, match="no key 'b'"):
        read_reward(tmp_path, "b")


def test_links_and_special_files_are_refused(tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("1")
    (tmp_path / "reward.txt").symlink_to(target)
    with pytest.raises(RewardFileError, match="cannot open"):
        read_reward(tmp_path)
    (tmp_path / "reward.txt").unlink()
    os.mkfifo(tmp_path / "reward.txt")
    with pytest.raises(RewardFileError, match="not a regular file"):
        read_reward(tmp_path)


# -- the agent tries to fake the reward ---------------------------------------------------------


@pytest.fixture
def env(backend, make_task):
    environment = ShellEnv(
        make_task(
            test=(
                "#!/bin/bash\n"
                "out=$(python3 -c 'print(open(\"/app/out.txt\").read().strip())' 2>/dev/null)\n"
                'if [ "$out" = hello ]; then echo 1; else echo 0; fi > /logs/verifier/reward.txt\n'
            )
        ),
        backend=backend,
        prewarm=False,
    )
    yield environment
    environment.close()


def play(env, *commands: str) -> tuple[float, dict]:
    env.reset()
    for command in commands:
        _, reward, terminated, truncated, info = env.step(bash(command))
        assert not (terminated or truncated)
    _, reward, terminated, _, info = env.step(SUBMIT)
    assert terminated
    return reward, info["verifier"]


HACKS = {
    "write the reward file": "mkdir -p /logs/verifier && echo 1 > /logs/verifier/reward.txt",
    "reward.json too": "mkdir -p /logs/verifier && echo '{\"reward\": 1}' > "
    "/logs/verifier/reward.json",
    "logs as a link": "mkdir -p /tmp/fake && echo 1 > /tmp/fake/reward.txt && "
    "ln -s /tmp/fake /logs",
    "plant a test.sh": "mkdir -p /tests && printf 'echo 1 > /logs/verifier/reward.txt' "
    "> /tests/test.sh",
    "late writer": "(sleep 0.5; mkdir -p /logs/verifier; echo 1 > /logs/verifier/reward.txt) "
    "& disown",
    "replace python3": "rm -f /usr/bin/python3 && printf '#!/bin/sh\\necho hello\\n' > "
    "/usr/bin/python3 && chmod +x /usr/bin/python3",
    "preload library": "echo /tmp/evil.so > /etc/ld.so.preload",
    "user site hook": "mkdir -p /root/.local/lib/python3.11/site-packages && echo "
    "'import builtins; builtins.open = None' > "
    "/root/.local/lib/python3.11/site-packages/usercustomize.py",
    "bash env": "echo 'echo 1 > /logs/verifier/reward.txt; exit' > /root/.bashrc && "
    "cp /root/.bashrc /etc/bash.bashrc",
}


@pytest.mark.parametrize("hack", list(HACKS))
def test_tampering_does_not_change_the_reward(env, hack):
    reward, verifier = play(env, HACKS[hack])
    assert reward == 0.0, verifier
    reward, verifier = play(env, HACKS[hack], "echo hello > /app/out.txt")
    assert reward == 1.0, f"{hack}: real work still counts: {verifier}"


def test_verifier_timeout_gives_zero_with_reason(backend, make_task):
    env = ShellEnv(
        make_task(
            toml="[verifier]\ntimeout_sec = 1\n",
            test="sleep 30; echo 1 > /logs/verifier/reward.txt\n",
        ),
        backend=backend,
        prewarm=False,
    )
    try:
        env.reset()
        _, reward, *_, info = env.step(SUBMIT)
        assert reward == 0.0
        assert info["verifier"]["reason"] == "verifier timed out after 1s"
        assert info["verifier"]["timed_out"]
    finally:
        env.close()


def test_missing_reward_gives_zero_with_reason(backend, make_task):
    env = ShellEnv(make_task(test="echo tests ran\n"), backend=backend, prewarm=False)
    try:
        env.reset()
        _, reward, *_, info = env.step(SUBMIT)
        assert reward == 0.0
        assert "neither reward.txt nor reward.json" in info["verifier"]["reason"]
        assert "tests ran" in info["verifier"]["output"]
    finally:
        env.close()


def test_tests_are_invisible_to_the_agent(env):
    env.reset()
    out, *_ = env.step(
        bash(
            "ls /tests /solution /logs 2>&1; grep -r reward.txt / "
            "--include=*.sh -l 2>/dev/null | head"
        )
    )
    assert out.count("No such file") == 3
    assert "test.sh" not in out
