"""Exact multi-turn token accounting: token-in, token-out, never re-tokenising the history.

An episode's token sequence grows by appending: the first prompt (the chat template applied to
the opening messages), then for every turn the tokens the policy *sampled* (loss mask 1) and
the tokens of what came back (tool results, the next assistant header; loss mask 0). The
environment's part is the chat template's rendering of the new messages, cut out of a fixed
two-message prefix, so earlier turns are never rendered again: a template that renders old
assistant turns differently (Qwen3 drops earlier thinking) cannot shift a single token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from toolgym.agents.base import Message

_PREFIX: list[Message] = [
    {"role": "user", "content": "x"},
    {"role": "assistant", "content": "y"},
]


class TemplateMismatch(ValueError):
    """The chat template renders a conversation's earlier turns differently when it grows."""


class TokenPolicy(Protocol):
    """What a policy offers for token-level rollouts (``HFPolicy`` does)."""

    tokenizer: Any
    end_of_turn_ids: list[int]

    def render(self, messages: list[Message], tools: list[dict[str, Any]] | None) -> str: ...

    def encode(self, text: str) -> list[int]: ...

    def generate_ids(self, prompts: list[list[int]]) -> list[Any]: ...


def supports_tokens(policy: object) -> bool:
    names = ("generate_ids", "render", "encode", "end_of_turn_ids", "tokenizer")
    return all(hasattr(policy, name) for name in names)


@dataclass
class TokenRecord:
    """One episode's tokens: ``ids[i]`` was sampled by the policy iff ``mask[i] == 1``."""

    ids: list[int] = field(default_factory=list)
    mask: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)  # 0.0 where mask is 0
    turns: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, ids: list[int], mask: int, logprobs: list[float] | None = None) -> None:
        self.ids += ids
        self.mask += [mask] * len(ids)
        self.logprobs += logprobs if logprobs is not None else [0.0] * len(ids)

    def to_json(self) -> dict[str, Any]:
        return {"ids": self.ids, "mask": self.mask, "logprobs": self.logprobs, "turns": self.turns}


class TurnTokenizer:
    """Builds an episode's :class:`TokenRecord` turn by turn for one policy and tool set."""

    def __init__(self, policy: TokenPolicy, tools: list[dict[str, Any]]) -> None:
        self.policy = policy
        self.tools = tools
        self.end_of_turn = policy.end_of_turn_ids[0]
        end_text = policy.tokenizer.decode([self.end_of_turn])
        # The fixed prefix ends where the policy's own tokens end: at the assistant turn's
        # end-of-turn marker (the newline a template may add after it belongs to the suffix).
        closed = policy.tokenizer.apply_chat_template(
            _PREFIX, tools=tools or None, add_generation_prompt=False, tokenize=False
        )
        cut = closed.rfind(end_text)
        if cut < 0:
            raise TemplateMismatch(f"the chat template never writes {end_text!r} after a turn")
        self._prefix = closed[: cut + len(end_text)]

    def start(self, messages: list[Message]) -> TokenRecord:
        """The record for an episode's opening messages (prompt only)."""
        record = TokenRecord()
        record.extend(self.policy.encode(self.policy.render(messages, self.tools)), 0)
        return record

    def add_completion(
        self,
        record: TokenRecord,
        token_ids: list[int],
        logprobs: list[float] | None,
        finish_reason: str,
    ) -> None:
        """Append what the policy sampled (mask 1) and close the turn if it was cut short."""
        record.turns.append(
            {
                "prompt_tokens": len(record.ids),
                "completion_tokens": len(token_ids),
                "finish_reason": finish_reason,
            }
        )
        record.extend(list(token_ids), 1, list(logprobs) if logprobs is not None else None)
        if not token_ids or token_ids[-1] != self.end_of_turn:
            record.extend([self.end_of_turn], 0)  # not sampled: never trained on

    def add_observation(self, record: TokenRecord, messages: list[Message]) -> None:
        """Append the template's tokens for what the environment said, and the next header."""
        full = self.policy.render(_PREFIX + messages, self.tools)
        if not full.startswith(self._prefix):
            raise TemplateMismatch(
                "the chat template renders earlier turns differently once new messages follow"
            )
        record.extend(self.policy.encode(full[len(self._prefix) :]), 0)
