"""The policy interface: conversations in, assistant messages out, a batch at a time.

Every agent in toolgym is a :class:`Policy`. A policy sees, per episode, the conversation so far
(OpenAI-style message dicts), the tool schemas and the task; it returns one assistant message per
episode. Batching is the interface's unit so that an LLM policy can generate for many episodes
in one forward pass; scripted policies (oracle, null) simply loop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from toolgym.task import Task
from toolgym.toolcalls import ToolCall, render_tool_calls

Message = dict[str, Any]


@dataclass
class PolicyRequest:
    """One episode's turn to act."""

    messages: list[Message]
    tools: list[dict[str, Any]]
    task: Task | None = None
    episode_id: str = ""


@dataclass
class AssistantMessage:
    """What a policy said. ``tool_calls`` are set when the policy produced structured calls
    (an API's native tool calling, or a scripted agent); ``content`` is the free text."""

    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    token_ids: list[int] | None = None
    logprobs: list[float] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def action_text(self) -> str:
        """The message as the environment reads it (Hermes ``<tool_call>`` blocks)."""
        if self.tool_calls:
            return render_tool_calls(self.tool_calls, self.content)
        return self.content


class Policy(ABC):
    """Produces the next assistant message for a batch of episodes."""

    name: str = "policy"

    @abstractmethod
    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        """One assistant message per request, in order."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the policy holds (HTTP clients, models)."""


def assistant_turns(messages: list[Message]) -> int:
    """How many times the assistant has spoken in ``messages``."""
    return sum(1 for m in messages if m.get("role") == "assistant")
