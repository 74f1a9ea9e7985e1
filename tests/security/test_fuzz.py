"""Fuzzing: no action string can make ``step`` raise; no corrupt task dir gets past loading
with anything but one clear TaskLoadError."""

from __future__ import annotations

import json
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from toolgym.envs import ShellEnv

from toolgym.task import TaskLoadError, load_task

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
tool_names = st.sampled_from(["bash", "submit", "nope", "", "BASH", "bash\x00"])
calls = st.builds(
    lambda name, args: {"name": name, "arguments": args},
    tool_names,
    st.one_of(
        json_values, st.dictionaries(st.sampled_from(["command", "timeout", "x"]), json_values)
    ),
)
actions = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    calls.map(lambda c: "<tool_call>" + json.dumps(c) + "</tool_call>"),
    calls.map(json.dumps),
    st.integers(1, 3000).map(lambda n: "<tool_call>" + "[" * n + "]" * n + "</tool_call>"),
    st.integers(1, 3000).map(lambda n: '{"name": "bash", "arguments": ' + "{" * n),
    st.just("x" * 300_000),
    st.lists(calls, max_size=5).map(
        lambda cs: "".join("<tool_call>" + json.dumps(c) + "</tool_call>" for c in cs)
    ),
)


def _make_env(backend) -> ShellEnv:
    root = Path(tempfile.mkdtemp(prefix="toolgym-fuzz-"))
    task = root / "fuzz"
    (task / "environment").mkdir(parents=True)
    (task / "tests").mkdir()
    (task / "task.toml").write_text("[agent]\ntimeout_sec = 100000\n")
    (task / "instruction.md").write_text("Anything.")
    (task / "environment" / "Dockerfile").write_text("FROM debian:12\nWORKDIR /app\n")
    (task / "tests" / "test.sh").write_text("echo 0 > /logs/verifier/reward.txt\n")
    return ShellEnv(task, backend=backend, command_timeout=2.0, max_steps=10**9, prewarm=False)


def test_step_never_raises(backend):
    env = _make_env(backend)
    env.reset()

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(actions)
    def check(action: str) -> None:
        if env._done:  # a fuzzed submit ended the episode
            env.reset()
        observation, reward, _terminated, _truncated, info = env.step(action)
        assert env.observation_space.contains(observation)
        assert reward in (0.0, 1.0) and isinstance(info, dict)

    try:
        check()
    finally:
        env.close()


files = st.dictionaries(
    st.sampled_from(
        [
            "task.toml",
            "instruction.md",
            "environment/Dockerfile",
            "tests/test.sh",
            "solution/solve.sh",
        ]
    ),
    st.one_of(
        st.binary(max_size=200),
        st.text(string.printable, max_size=200),
        st.sampled_from(
            [
                '[verifier]\ntimeout_sec = "x"',
                "[agent]\ntimeout_sec = -1",
                "[metadata]\ntags = 3",
                'version = 1.0\n[environment]\nmemory = "lots"',
                "[[verifier]]\n",
                "[toolgym]\nenvironment = 7",
            ]
        ),
    ),
)


@settings(max_examples=200, deadline=None)
@given(files)
def test_corrupt_task_dirs_fail_with_one_clear_error(contents):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "task"
        root.mkdir()
        for rel, data in contents.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data)
        try:
            load_task(root)
        except TaskLoadError as exc:
            assert str(root) in str(exc)
