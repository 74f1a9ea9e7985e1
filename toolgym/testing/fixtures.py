"""Small shared pieces for tests of policies and token accounting."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# One bash tool in the OpenAI function-calling format, as a chat template receives it.
BASH_TOOL_SCHEMAS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "bash",
            "description": "Run a command.",
            "parameters": {
                "type": "object",
                "properties": {"command": {"type": "string"}},
                "required": ["command"],
            },
        },
    }
]


def masked_spans(ids: Sequence[int], mask: Sequence[int]) -> list[list[int]]:
    """The runs of consecutive token ids whose mask is 1 (one per assistant turn)."""
    spans: list[list[int]] = []
    current: list[int] = []
    for token, bit in zip(ids, mask, strict=True):
        if bit:
            current.append(token)
        elif current:
            spans.append(current)
            current = []
    if current:
        spans.append(current)
    return spans
