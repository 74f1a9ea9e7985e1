"""The tool-environment base class every toolgym environment derives from.

It owns what all tool environments share, so each concrete environment only declares its tools
(``@tool`` methods), how an episode starts, and how it is graded:

* parsing the assistant's message into tool calls, and clear error observations for bad ones;
* budgets: a step budget, the task's agent timeout (episode wall time), per-call cutoffs;
* the Gymnasium contract: ``terminated`` when the agent finishes, ``truncated`` with
  ``info["truncation"]`` naming the budget that ran out, the verifier's reward on the final
  step and 0 before it;
* text spaces that accept any Unicode text an LLM writes (see :class:`ToolText`).
"""

from __future__ import annotations

import re
import string
import time
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import gymnasium as gym
from gymnasium import spaces

from toolgym.task import SCAFFOLD_MARKER, Task, load_task
from toolgym.toolcalls import EXPECTED_FORM, ToolCall, ToolCallError, parse_tool_calls
from toolgym.tools import ToolSpec, collect_tools
from toolgym.verifier import VerifierResult

MAX_ACTION_CHARS = 200_000
MAX_OBSERVATION_CHARS = 1_000_000
_SAMPLE_CHARSET = "".join(c for c in string.printable if c not in "\r\x0b\x0c")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


# The [metadata] and [agent] part every new task starts with (see ToolEnv.task_template).
_TASK_TOML_HEAD = """version = "1.0"

[metadata]
author_name = "{marker}: your name"
difficulty = "medium"  # easy | medium | hard
category = "{marker}: one word or two, e.g. text-processing"
tags = []

[agent]
timeout_sec = 600.0
"""


class ToolText(spaces.Text):
    """A text space for LLM messages: any Unicode text without control characters.

    ``gymnasium.spaces.Text`` only contains strings over its charset; an LLM writes arbitrary
    Unicode, and an observation may hold any program output. Membership is therefore "a string
    of at most ``max_length`` characters with no control character except newline and tab";
    sampling draws printable ASCII (with newline and tab) as the base class does.
    """

    def __init__(self, max_length: int) -> None:
        super().__init__(max_length=max_length, min_length=0, charset=_SAMPLE_CHARSET)

    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and len(x) <= self.max_length and not _CONTROL.search(x)

    def __repr__(self) -> str:
        return f"ToolText(max_length={self.max_length})"


def sanitize_text(text: str, max_length: int = MAX_OBSERVATION_CHARS) -> str:
    """Make ``text`` a member of :class:`ToolText` (control characters dropped, length capped)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > max_length:
        marker = f"\n[... {len(text) - max_length} characters cut ...]\n"
        keep = max_length - len(marker)
        text = text[: keep // 2] + marker + text[len(text) - (keep - keep // 2) :]
    return text


@dataclass
class ToolOutput:
    """What a tool returns to the agent. ``done`` ends the episode (the agent finished)."""

    text: str
    exit_code: int | None = None
    done: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class ToolResult:
    """One call's outcome as recorded in ``info["tool_results"]``."""

    name: str
    arguments: dict[str, Any]
    output: str
    call_id: str | None = None
    exit_code: int | None = None
    duration: float = 0.0
    error: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    def to_info(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "arguments": self.arguments,
            "output": self.output,
            "call_id": self.call_id,
            "exit_code": self.exit_code,
            "duration": round(self.duration, 6),
            "error": self.error,
            **({"meta": self.meta} if self.meta else {}),
        }


class ToolEnv(gym.Env[str, str]):
    """A multi-turn environment whose actions are assistant messages calling tools.

    Subclasses implement :meth:`_begin_episode`, :meth:`_grade` and :meth:`_end_episode`, and
    declare tools as ``@tool`` methods returning :class:`ToolOutput`.
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 1}  # noqa: RUF012 - Gymnasium style
    #: Tools whose call ends the episode (schedulers use it to predict a final step).
    final_tools: frozenset[str] = frozenset()
    #: Files a task directory for this environment must hold (path -> why), checked when the
    #: task loads so that a missing one is reported before any episode runs.
    task_files: Mapping[str, str] = MappingProxyType({})

    def __init__(
        self,
        task: str | Path | Task,
        *,
        max_steps: int = 50,
        agent_timeout: float | None = None,
        render_mode: str | None = None,
    ) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}")
        if max_steps < 1:
            raise ValueError(f"max_steps must be at least 1, got {max_steps}")
        self.task = task if isinstance(task, Task) else load_task(task)
        self.max_steps = max_steps
        self.agent_timeout = agent_timeout or self.task.config.agent.timeout_sec
        self.render_mode = render_mode
        self.tools: dict[str, ToolSpec] = collect_tools(self)
        self.observation_space = ToolText(MAX_OBSERVATION_CHARS)
        self.action_space = ToolText(MAX_ACTION_CHARS)
        self._steps = 0
        self._started = 0.0
        self._done = True
        self._active = False
        self._transcript: list[str] = []
        self.last_verifier: VerifierResult | None = None

    # -- what subclasses provide -----------------------------------------------------------
    @abstractmethod
    def _begin_episode(self, options: dict[str, Any]) -> None:
        """Build the episode's state from ``self.task`` (sandbox, shell, ...)."""

    @abstractmethod
    def _grade(self) -> VerifierResult:
        """Stop the agent's side and compute the verifiable reward."""

    @abstractmethod
    def _end_episode(self) -> None:
        """Release the episode's resources. Called before a new episode and on close."""

    @classmethod
    def oracle_call(cls, task: Task, turn: int) -> ToolCall:
        """The reference solution's call at ``turn`` (0-based) for ``task``: what the oracle
        agent does. Each environment knows how its tasks are solved."""
        raise NotImplementedError(f"{cls.__name__} has no oracle")

    @classmethod
    def null_call(cls) -> ToolCall:
        """The call that ends an episode at once without doing anything (the null agent)."""
        return ToolCall(sorted(cls.final_tools)[0], {})

    @classmethod
    def hacker_calls(cls, task: Task) -> list[ToolCall]:
        """Reward-hacking probes for this environment, ending with a call that ends the
        episode: the gate's third agent, which must score 0 on every trustworthy task."""
        return [cls.null_call()]

    @classmethod
    def task_template(cls, name: str, environment: str) -> dict[str, str]:
        """The files of a new task for this environment (path -> text), as ``toolgym new
        task`` writes them: every place the author must fill in holds ``TODO(toolgym)``, and
        ``toolgym check`` refuses the task until none is left. Environments with their own
        task data override this to show it."""
        return {
            "task.toml": _TASK_TOML_HEAD.format(marker=SCAFFOLD_MARKER)
            + f'\n[toolgym]\nenvironment = "{environment}"\n\n'
            f"# {SCAFFOLD_MARKER}: the [{environment}] section this environment reads "
            "(what the verifier checks); see its documentation.\n",
            "instruction.md": f"{SCAFFOLD_MARKER}: tell the agent what to do in task {name!r}: "
            "the inputs, the exact result expected and what counts as done.\n",
        }

    def prepare(self) -> None:
        """Do the task's one-time preparation now (build a template, load an index), so that
        a broken task fails here with a clear error rather than at the first reset."""

    def instruction(self) -> str:
        """The task statement the agent sees first."""
        return self.task.instruction.strip()

    # -- budget helpers ---------------------------------------------------------------------
    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def remaining_time(self) -> float:
        return max(0.0, self.agent_timeout - self.elapsed())

    def will_end(self, action: str) -> bool:
        """Whether stepping with ``action`` will (very likely) end the episode.

        A hint for schedulers, which can then grade the episode in the background instead of
        holding the next batch for it; ``step`` alone decides what really happens.
        """
        if self._steps + 1 >= self.max_steps or self.remaining_time() <= 0:
            return True
        return any(call.name in self.final_tools for call in parse_tool_calls(action).calls)

    # -- Gymnasium API ----------------------------------------------------------------------
    @property
    def tool_schemas(self) -> list[dict[str, Any]]:
        return [spec.schema() for spec in self.tools.values()]

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        options = dict(options or {})
        if "task" in options:
            task = options.pop("task")
            self.task = task if isinstance(task, Task) else load_task(task)
            self.agent_timeout = self.task.config.agent.timeout_sec
        self._end_active()
        self._begin_episode(options)
        self._active = True
        self._steps = 0
        self._started = time.monotonic()
        self._done = False
        self.last_verifier = None
        observation = sanitize_text(self.first_observation())
        self._transcript = [f"[user]\n{observation}"]
        info = {
            "task_id": self.task.id,
            "tools": self.tool_schemas,
            "instruction": self.instruction(),
            "max_steps": self.max_steps,
            "agent_timeout_sec": self.agent_timeout,
        }
        return observation, info

    def first_observation(self) -> str:
        """The instruction followed by the tools and how to call them."""
        lines = [self.instruction(), "", "Tools:"]
        for spec in self.tools.values():
            summary = (spec.description.splitlines() or ["(undocumented)"])[0]
            lines.append(f"- {spec.signature_text()}: {summary}")
        lines += [
            "",
            "Call tools by writing, one block per call:",
            '<tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>'
            if "bash" in self.tools
            else EXPECTED_FORM,
        ]
        return "\n".join(lines)

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self._done:
            raise gym.error.ResetNeeded("the episode has ended: call reset() before step()")
        self._steps += 1
        parsed = parse_tool_calls(action)
        for index, call in enumerate(parsed.calls):  # reproducible ids, unlike random ones
            call.id = f"call_{self._steps}_{index}"
        results: list[ToolResult] = []
        terminated = False
        truncation: str | None = None
        if not parsed.items:
            results.append(self._error_result("", {}, self._no_call_message()))
        for item in parsed.items:
            if terminated:
                results.append(
                    self._error_result(
                        getattr(item, "name", ""),
                        getattr(item, "arguments", {}),
                        "not run: an earlier call in this message ended the episode",
                    )
                )
                continue
            if self.remaining_time() <= 0:
                truncation = "agent_timeout"
                break
            result, done = self._run_call(item)
            results.append(result)
            terminated = terminated or done
        if not terminated and truncation is None:
            if self.remaining_time() <= 0:
                truncation = "agent_timeout"
            elif self._steps >= self.max_steps:
                truncation = "max_steps"
        observation = sanitize_text(self.format_results(results))
        info: dict[str, Any] = {
            "step": self._steps,
            "tool_calls": [c.to_openai() for c in parsed.calls],
            "tool_results": [r.to_info() for r in results],
            "parse_errors": [e.message for e in parsed.errors],
        }
        reward = 0.0
        truncated = truncation is not None
        if terminated or truncated:
            self._done = True
            info["termination"] = "submitted" if terminated else None
            info["truncation"] = truncation
            verdict = self._grade()
            self.last_verifier = verdict
            reward = float(verdict.reward)
            info["verifier"] = verdict.to_info()
        self._transcript += [f"[assistant]\n{action}", f"[tool]\n{observation}"]
        return observation, reward, terminated, truncated, info

    def render(self) -> str | None:
        if self.render_mode == "ansi":
            return "\n\n".join(self._transcript)
        return None

    def close(self) -> None:
        self._end_active()
        super().close()

    # -- internals --------------------------------------------------------------------------
    def _end_active(self) -> None:
        if self._active:
            self._active = False
            self._end_episode()

    def _no_call_message(self) -> str:
        names = ", ".join(self.tools)
        return (
            "No tool call found in your message. Call a tool by writing\n"
            f"{EXPECTED_FORM}\nAvailable tools: {names}."
        )

    @staticmethod
    def _error_result(name: str, arguments: dict[str, Any], message: str) -> ToolResult:
        return ToolResult(name=name, arguments=arguments, output=f"Error: {message}", error=True)

    def _run_call(self, item: ToolCall | ToolCallError) -> tuple[ToolResult, bool]:
        if isinstance(item, ToolCallError):
            message = (
                f"could not read tool call {item.index + 1}: {item.message}. "
                f"Expected: {EXPECTED_FORM}"
            )
            return self._error_result("", {}, message), False
        spec = self.tools.get(item.name)
        if spec is None:
            message = f"unknown tool {item.name!r}. Available tools: {', '.join(self.tools)}."
            return self._error_result(item.name, item.arguments, message), False
        try:
            arguments = spec.validate(item.arguments)
        except ValueError as exc:
            message = f"bad arguments for {spec.signature_text()}: {exc}"
            return self._error_result(item.name, item.arguments, message), False
        start = time.monotonic()
        output: ToolOutput = spec.func(**arguments)
        result = ToolResult(
            name=item.name,
            arguments=arguments,
            output=output.text,
            call_id=item.id,
            exit_code=output.exit_code,
            duration=time.monotonic() - start,
            meta=output.meta,
        )
        return result, output.done

    @staticmethod
    def format_results(results: list[ToolResult]) -> str:
        """One result as its text; several, each under a header naming the call."""
        if len(results) == 1:
            return results[0].output
        blocks = []
        for number, result in enumerate(results, 1):
            blocks.append(f"[{number}] {result.name or 'error'}\n{result.output}")
        return "\n\n".join(blocks)
