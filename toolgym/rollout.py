"""The agent loop: one policy drives one environment through an episode.

Like mini-swe-agent's loop, it fits on a screen: reset, then ask the policy for a message and
step the environment with it until the episode ends. The conversation is kept in the OpenAI
chat format (assistant ``tool_calls`` answered by ``tool`` messages) so trajectories can be fed
to chat templates, APIs and trainers unchanged.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from toolgym.agents.base import AssistantMessage, Message, Policy, PolicyRequest
from toolgym.envs.base import ToolEnv
from toolgym.toolcalls import parse_tool_calls


@dataclass
class Episode:
    """Everything that happened in one episode."""

    task_id: str
    messages: list[Message]
    reward: float = 0.0
    steps: int = 0
    terminated: bool = False
    truncation: str | None = None
    verifier: dict[str, Any] = field(default_factory=dict)
    tool_results: list[dict[str, Any]] = field(default_factory=list)
    tools: list[dict[str, Any]] = field(default_factory=list)  # the schemas the agent was given
    seed: int | None = None
    reset_seconds: float = 0.0
    env_seconds: float = 0.0
    agent_seconds: float = 0.0
    started_at: float = field(default_factory=time.time)
    finished_at: float = 0.0
    episode_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def end_reason(self) -> str:
        return "submitted" if self.terminated else (self.truncation or "unknown")

    @property
    def tool_seconds(self) -> float:
        return sum(r.get("duration", 0.0) for r in self.tool_results)

    @property
    def verifier_seconds(self) -> float:
        return float(self.verifier.get("duration", 0.0))


def assistant_message(reply: AssistantMessage, step_info: dict[str, Any]) -> Message:
    """The assistant turn in OpenAI form: its free text, and the calls the environment parsed.

    Calls written in the text (``<tool_call>`` blocks) move to ``tool_calls``, so a chat
    template renders each call once when the conversation is replayed (for SFT, say).
    """
    content = reply.content if reply.tool_calls else parse_tool_calls(reply.content).text
    message: Message = {"role": "assistant", "content": content}
    if step_info.get("tool_calls"):
        message["tool_calls"] = step_info["tool_calls"]
    return message


def observation_messages(observation: str, step_info: dict[str, Any]) -> list[Message]:
    """Tool messages answering each parsed call; a user message for anything else."""
    results = step_info.get("tool_results", [])
    answered = [r for r in results if r.get("call_id")]
    if not answered:
        return [{"role": "user", "content": observation}]
    messages: list[Message] = []
    for result in results:
        if result.get("call_id"):
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": result["call_id"],
                    "name": result["name"],
                    "content": result["output"],
                }
            )
    errors = [r["output"] for r in results if not r.get("call_id")]
    if errors:
        messages.append({"role": "user", "content": "\n\n".join(errors)})
    return messages


def run_episode(
    env: ToolEnv,
    policy: Policy,
    seed: int | None = None,
    options: dict[str, Any] | None = None,
) -> Episode:
    """Run one episode of ``policy`` in ``env`` and return its record."""
    started = time.monotonic()
    observation, info = env.reset(seed=seed, options=options)
    episode = Episode(
        task_id=env.task.id, messages=[{"role": "user", "content": observation}], seed=seed
    )
    episode.reset_seconds = time.monotonic() - started
    tools = episode.tools = info["tools"]
    while True:
        tick = time.monotonic()
        request = PolicyRequest(episode.messages, tools, env.task, episode.episode_id)
        reply = policy.generate([request])[0]
        tock = time.monotonic()
        observation, reward, terminated, truncated, info = env.step(reply.action_text())
        episode.env_seconds += time.monotonic() - tock
        episode.agent_seconds += tock - tick
        episode.steps += 1
        episode.messages.append(assistant_message(reply, info))
        episode.messages.extend(observation_messages(observation, info))
        episode.tool_results += [{"step": episode.steps, **r} for r in info["tool_results"]]
        if terminated or truncated:
            episode.reward = reward
            episode.terminated = terminated
            episode.truncation = info.get("truncation")
            episode.verifier = info.get("verifier", {})
            break
    episode.finished_at = time.time()
    return episode
