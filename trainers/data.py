"""Training data from trajectories: verified episodes as token ids with an assistant-only mask.

Each kept episode (reward at or above a threshold) becomes one example: its conversation rendered
with the tokenizer's chat template, message by message, and a mask that is 1 exactly on the
tokens the assistant wrote (including its end-of-turn token, so the model learns to stop) and 0
on the prompt, the tool results and the template's headers. The rendering is checked to be
prefix-stable (each message's tokens extend the previous ones); a template that rewrites history
is refused with a clear error instead of silently training on mis-aligned masks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolgym.tokens import TemplateMismatch
from toolgym.trajectory import read_trajectories


@dataclass
class SFTExample:
    input_ids: list[int]
    assistant_masks: list[int]
    task_id: str


def load_verified(paths: list[str | Path], min_reward: float = 1.0) -> list[dict[str, Any]]:
    """Trajectory records whose reward is at least ``min_reward`` (errors name file and line)."""
    kept = []
    for path in paths:
        if not Path(path).is_file():
            raise FileNotFoundError(f"{path}: no such trajectories file")
        for number, record in enumerate(read_trajectories(path), 1):
            if "messages" not in record or "reward" not in record:
                raise ValueError(f"{path}:{number}: not a toolgym trajectory (no messages/reward)")
            if record["reward"] >= min_reward:
                kept.append(record)
    return kept


def _tools_from(record: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The tool schemas the episode's prompt was rendered with (kept with the trajectory)."""
    tools = record.get("tools")
    return json.loads(tools) if isinstance(tools, str) else tools


def _clean(message: dict[str, Any]) -> dict[str, Any]:
    out = {"role": message["role"], "content": message.get("content") or ""}
    if message.get("tool_calls"):
        out["tool_calls"] = message["tool_calls"]
    if message["role"] == "tool":
        out["tool_call_id"] = message.get("tool_call_id")
        out["name"] = message.get("name")
    return out


def tokenize_conversation(
    tokenizer: Any, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None
) -> tuple[list[int], list[int]]:
    """Token ids and the assistant-only mask of a whole conversation."""
    end_of_turn = tokenizer.eos_token
    messages = [_clean(m) for m in messages]

    def render(upto: int, generation_prompt: bool) -> str:
        return tokenizer.apply_chat_template(
            messages[:upto],
            tools=tools or None,
            tokenize=False,
            add_generation_prompt=generation_prompt,
        )

    def encode(text: str) -> list[int]:
        return tokenizer(text, add_special_tokens=False)["input_ids"]

    ids: list[int] = []
    mask: list[int] = []
    text = ""
    for index, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        before = render(index, generation_prompt=True)
        after = render(index + 1, generation_prompt=False)
        if not before.startswith(text) or not after.startswith(before):
            raise TemplateMismatch(
                f"the chat template renders turn {index} differently once it is followed by more "
                "messages; assistant masks would be misaligned"
            )
        cut = after.find(end_of_turn, len(before))
        end = len(after) if cut < 0 else cut + len(end_of_turn)
        for segment, value in ((before[len(text) :], 0), (after[len(before) : end], 1)):
            tokens = encode(segment)
            ids += tokens
            mask += [value] * len(tokens)
        text = after[:end]
    return ids, mask


def sft_examples(records: list[dict[str, Any]], tokenizer: Any) -> list[SFTExample]:
    """One example per verified episode."""
    examples = []
    for record in records:
        ids, mask = tokenize_conversation(tokenizer, record["messages"], _tools_from(record))
        if sum(mask):
            examples.append(SFTExample(ids, mask, record["task_id"]))
    return examples
