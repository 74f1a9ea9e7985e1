"""Parse tool calls out of an assistant message, and render them back.

The accepted form is the Hermes/Qwen one that most open models are trained on::

    <tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>

Several blocks per message are allowed. A message that is nothing but a JSON object (or a list
of them) with a ``name`` also counts, with or without a code fence. ``arguments`` may be an
object or a JSON-encoded string (the OpenAI wire form); ``parameters`` is read as a synonym.
A block that cannot be read becomes a :class:`ToolCallError` with a message that shows the
expected form, so the episode can go on and the model can correct itself.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

_BLOCK = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.DOTALL)
_FENCE = re.compile(r"^```(?:json|JSON)?\s*\n?(.*?)\n?```$", re.DOTALL)
EXPECTED_FORM = '<tool_call>{"name": "<tool name>", "arguments": {<arguments as JSON>}}</tool_call>'


@dataclass
class ToolCall:
    """One parsed call. ``id`` follows the OpenAI ``call_...`` convention."""

    name: str
    arguments: dict[str, Any]
    id: str = field(default_factory=lambda: f"call_{uuid.uuid4().hex[:24]}")

    def to_openai(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": json.dumps(self.arguments)},
        }


@dataclass
class ToolCallError:
    """A block that looked like a tool call but could not be used."""

    index: int
    message: str
    raw: str


@dataclass
class ParsedMessage:
    """The calls in a message, in order, with the errors in their places."""

    items: list[ToolCall | ToolCallError]

    @property
    def calls(self) -> list[ToolCall]:
        return [i for i in self.items if isinstance(i, ToolCall)]

    @property
    def errors(self) -> list[ToolCallError]:
        return [i for i in self.items if isinstance(i, ToolCallError)]


def _strip_fence(text: str) -> str:
    text = text.strip()
    match = _FENCE.match(text)
    return match.group(1).strip() if match else text


def _call_from_json(value: Any, index: int, raw: str) -> ToolCall | ToolCallError:
    if not isinstance(value, dict):
        kind = type(value).__name__
        return ToolCallError(index, f"expected a JSON object, got {kind}", raw)
    if "function" in value and isinstance(value["function"], dict):  # OpenAI-shaped
        value = value["function"]
    name = value.get("name")
    if not isinstance(name, str) or not name:
        return ToolCallError(index, 'missing "name" (a string naming the tool)', raw)
    arguments = value.get("arguments", value.get("parameters", {}))
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError as exc:
            return ToolCallError(index, f'"arguments" is a string but not JSON: {exc}', raw)
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        return ToolCallError(index, '"arguments" must be a JSON object', raw)
    return ToolCall(name=name, arguments=arguments)


def _parse_block(text: str, index: int) -> ToolCall | ToolCallError:
    body = _strip_fence(text)
    if not body:
        return ToolCallError(index, "empty tool call", text)
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        return ToolCallError(index, f"invalid JSON ({exc})", text)
    return _call_from_json(value, index, text)


def parse_tool_calls(text: str) -> ParsedMessage:
    """Every tool call in ``text``; an empty result means the message called nothing."""
    if not isinstance(text, str):
        return ParsedMessage([ToolCallError(0, "the action must be a string", repr(text)[:200])])
    blocks = _BLOCK.findall(text)
    if blocks:
        return ParsedMessage([_parse_block(b, i) for i, b in enumerate(blocks)])
    body = _strip_fence(text)
    if body.startswith(("{", "[")):
        try:
            value = json.loads(body)
        except json.JSONDecodeError:
            return ParsedMessage([])
        values = value if isinstance(value, list) else [value]
        if values and all(isinstance(v, dict) and ("name" in v or "function" in v) for v in values):
            return ParsedMessage([_call_from_json(v, i, body) for i, v in enumerate(values)])
    return ParsedMessage([])


def render_tool_calls(calls: list[ToolCall], content: str = "") -> str:
    """The Hermes text form of ``calls`` after optional ``content`` (the inverse of parsing)."""
    blocks = [
        "<tool_call>" + json.dumps({"name": c.name, "arguments": c.arguments}) + "</tool_call>"
        for c in calls
    ]
    return "\n".join([content.rstrip(), *blocks] if content.strip() else blocks)
