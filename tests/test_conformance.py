"""The conformance kit: every built-in environment passes it, and each check catches the
mistake it exists for (a kit that passes everything would prove nothing)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path
from typing import Any

import gymnasium as gym
import pytest
from toolgym.envs import ENVIRONMENTS, EnvironmentSpec, ToolEnv, ToolOutput

from toolgym.task import Task, resolve_task_paths
from toolgym.testing import check_env_conformance
from toolgym.toolcalls import ToolCall
from toolgym.tools import tool
from toolgym.verifier import VerifierResult

# -- built-in environments: a few tasks each (the full suites are gated elsewhere) -----------
BUILTIN = [
    ("toolgym/Shell-v0", "shell", 2, {"prewarm": True}),
    ("toolgym/Search-v0", "search", 4, {}),
    ("toolgym/Repo-v0", "repo", 1, {}),
]


@pytest.mark.parametrize(("env_id", "suite", "count", "kwargs"), BUILTIN, ids=lambda v: str(v))
def test_builtin_environment_conforms(env_id: str, suite: str, count: int, kwargs: dict) -> None:
    tasks = resolve_task_paths(suite)
    chosen = [tasks[i * len(tasks) // count] for i in range(count)]  # spread over the suite
    report = check_env_conformance(env_id, chosen, env_kwargs=kwargs)
    assert report.ok, report.summary()
    assert {f.check for f in report.findings} >= {
        "gymnasium",
        "tool_schemas",
        "determinism",
        "malformed_actions",
        "contract",
        "gate",
        "cleanup",
    }


def test_sql_environment_conforms() -> None:
    if not (Path(__file__).parent.parent / "tasks" / "sql").is_dir():
        pytest.skip("no SQL suite")
    tasks = resolve_task_paths("sql")
    report = check_env_conformance("toolgym/Sql-v0", tasks[:: max(1, len(tasks) // 4)])
    assert report.ok, report.summary()


# -- a small sound environment, and broken variants of it -----------------------------------
class EchoEnv(ToolEnv):
    """Say the task's word, then submit: reward 1 when the last thing said was the word."""

    final_tools = frozenset({"submit"})

    def _begin_episode(self, options: dict[str, Any]) -> None:
        self.said: str | None = None

    def _end_episode(self) -> None:
        self.said = None

    def _grade(self) -> VerifierResult:
        word = self.task.config.model_extra["echo"]["word"]
        return VerifierResult(float(self.said == word))

    @tool
    def say(self, text: str) -> ToolOutput:
        """Say something.

        Args:
            text: what to say.
        """
        self.said = text
        return ToolOutput(f"you said {text!r}")

    @tool
    def submit(self) -> ToolOutput:
        """End the episode."""
        return ToolOutput("submitted", done=True)

    @classmethod
    def oracle_call(cls, task: Task, turn: int) -> ToolCall:
        word = task.config.model_extra["echo"]["word"]
        return ToolCall("say", {"text": word}) if turn == 0 else ToolCall("submit", {})


class PaysForNothing(EchoEnv):
    def _grade(self) -> VerifierResult:
        return VerifierResult(1.0)


class LeaksAProcess(EchoEnv):
    def _begin_episode(self, options: dict[str, Any]) -> None:
        super()._begin_episode(options)
        self.daemon = subprocess.Popen(["sleep", "30"])  # never stopped: a leak

    @classmethod
    def cleanup(cls) -> None:
        subprocess.run(["pkill", "-f", "^sleep 30$"], check=False)


class Undocumented(EchoEnv):
    @tool
    def shout(self, text: Any) -> ToolOutput:  # no docstring, no argument type
        return ToolOutput(str(text).upper())


class Unseeded(EchoEnv):
    def first_observation(self) -> str:
        return f"{super().first_observation()}\n(lucky number {random.random()})"


class CrashesOnBadInput(EchoEnv):
    @tool
    def count(self, text: str) -> ToolOutput:
        """Count the words of a text.

        Args:
            text: the text.
        """
        if not text.strip():
            raise RuntimeError("empty text")  # a bug a fuzzer finds
        return ToolOutput(str(len(text.split())))


class NoStepAfterEndCheck(EchoEnv):
    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self._done:  # silently restarts instead of raising ResetNeeded
            self.reset()
        return super().step(action)


VARIANTS = {
    "echo": (EchoEnv, None),
    "echo-pays": (PaysForNothing, "gate"),
    "echo-leaks": (LeaksAProcess, "cleanup"),
    "echo-undocumented": (Undocumented, "tool_schemas"),
    "echo-unseeded": (Unseeded, "determinism"),
    "echo-crashes": (CrashesOnBadInput, "malformed_actions"),
    "echo-restarts": (NoStepAfterEndCheck, "contract"),
}


@pytest.fixture
def echo_tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Register the variants (as a plugin would) and return a task factory for one."""
    for name, (cls, _) in VARIANTS.items():
        spec = EnvironmentSpec(
            name, f"toolgym-test/{cls.__name__}-v0", f"{__name__}:{cls.__name__}"
        )
        monkeypatch.setitem(ENVIRONMENTS, name, spec)
        if spec.gym_id not in gym.registry:
            gym.register(spec.gym_id, entry_point=spec.entry_point)

    def tasks_for(name: str) -> list[Path]:
        paths = []
        for word in ("hello", "world"):
            path = tmp_path / name / word
            path.mkdir(parents=True)
            (path / "task.toml").write_text(
                f'[toolgym]\nenvironment = "{name}"\n[echo]\nword = "{word}"\n'
            )
            (path / "instruction.md").write_text(f"Say {word}, then submit.\n")
            paths.append(path)
        return paths

    yield tasks_for
    LeaksAProcess.cleanup()


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_each_check_catches_its_mistake(name: str, echo_tasks) -> None:
    _, expected_failure = VARIANTS[name]
    report = check_env_conformance(ENVIRONMENTS[name].gym_id, echo_tasks(name), env_kwargs={})
    failed = {finding.check for finding in report.failures}
    if expected_failure is None:
        assert report.ok, report.summary()
    else:
        assert expected_failure in failed, report.summary()
        assert "FAIL" in report.summary()


def test_no_tasks_is_a_failure_not_a_pass() -> None:
    report = check_env_conformance("toolgym/Shell-v0", [])
    assert not report.ok
