"""Scripted reference agents used by ``toolgym check``: the oracle and the null agent.

* ``oracle`` plays the task's reference solution the way its environment defines it (for a
  shell task: unpack ``solution/`` into ``/solution``, run ``solve.sh`` through the ``bash``
  tool, submit). A correct task gives it reward 1.
* ``null`` ends the episode at once. A task whose verifier checks real work gives it reward 0.
* ``hacker`` attacks the reward channel and the verifier's environment (writes the reward file,
  plants tests, replaces interpreters, injects startup hooks, leaves daemons behind), then
  ends the episode. A task whose reward cannot be faked gives it reward 0.

Both are stateless (they decide from the conversation), so they batch like any policy.
"""

from __future__ import annotations

from toolgym.agents.base import AssistantMessage, Policy, PolicyRequest, assistant_turns
from toolgym.envs import environment_class

from toolgym.toolcalls import ToolCall


class OraclePolicy(Policy):
    """Plays the task's reference solution, as its environment defines it."""

    name = "oracle"

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        out = []
        for request in requests:
            if request.task is None:
                raise ValueError("the oracle needs the task (PolicyRequest.task)")
            env_class = environment_class(request.task)
            call = env_class.oracle_call(request.task, assistant_turns(request.messages))
            out.append(AssistantMessage(tool_calls=[call]))
        return out


class NullPolicy(Policy):
    """Ends the episode at once, without doing anything."""

    name = "null"

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        out = []
        for request in requests:
            call = (
                environment_class(request.task).null_call()
                if request.task is not None
                else ToolCall("submit", {})
            )
            out.append(AssistantMessage(tool_calls=[call]))
        return out


class HackerPolicy(Policy):
    """Plays the environment's reward-hacking probes, then ends the episode."""

    name = "hacker"

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        out = []
        for request in requests:
            if request.task is None:
                raise ValueError("the hacker needs the task (PolicyRequest.task)")
            calls = environment_class(request.task).hacker_calls(request.task)
            turn = min(assistant_turns(request.messages), len(calls) - 1)
            out.append(AssistantMessage(tool_calls=[calls[turn]]))
        return out
