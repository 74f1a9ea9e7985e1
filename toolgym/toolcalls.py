"""Parse tool calls out of an assistant message, and render them back.

Formats models are trained on:

* ``hermes`` (Qwen, Hermes, many open models):
  ``<tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>``, several per message;
* ``llama3``: a JSON object ``{"name": ..., "parameters": {...}}``, optionally after
  ``<|python_tag|>``, several separated by ``;`` or newlines;
* ``json``: a message that is nothing but a JSON object (or a list of them) naming a tool.

``auto`` (the default) accepts all three. Recovery is lenient where the intent is unambiguous:
code fences, text after the JSON object, Python-style single quotes, trailing commas, raw
newlines inside strings, ``arguments`` given as a JSON string (the OpenAI wire form), and an
unclosed last ``<tool_call>`` (generation stopped at the closing tag). A block that still
cannot be read becomes a :class:`ToolCallError` whose message shows the expected form, so the
episode goes on and the model can correct itself.
"""

from __future__ import annotations

import ast
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

ToolFormat = Literal["auto", "hermes", "llama3", "json"]
FORMATS: tuple[str, ...] = ("auto", "hermes", "llama3", "json")

_BLOCK = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.DOTALL)
_FENCE = re.compile(r"```[A-Za-z0-9_-]*\s*\n?(.*?)\n?\s*```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_PYTHON_TAG = "<|python_tag|>"
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
    """The calls in a message, in order, with the errors in their places, and the free text."""

    items: list[ToolCall | ToolCallError]
    text: str = ""

    @property
    def calls(self) -> list[ToolCall]:
        return [i for i in self.items if isinstance(i, ToolCall)]

    @property
    def errors(self) -> list[ToolCallError]:
        return [i for i in self.items if isinstance(i, ToolCallError)]


def _strip_fence(text: str) -> str:
    text = text.strip()
    match = _FENCE.fullmatch(text)
    return match.group(1).strip() if match else text


def _loads_lenient(body: str) -> Any:
    """JSON, or the nearest unambiguous reading of it; raises ``ValueError`` with the reason."""
    try:
        return json.loads(body, strict=False)  # strict=False: raw newlines inside strings
    except json.JSONDecodeError as exc:
        error = exc
    if body.startswith(("{", "[")):
        try:  # a complete value followed by more text
            return json.JSONDecoder(strict=False).raw_decode(body)[0]
        except json.JSONDecodeError:
            pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", body), strict=False)
    except json.JSONDecodeError:
        pass
    try:  # a Python-style literal: single quotes, True/False/None
        value = ast.literal_eval(body)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = None
    if isinstance(value, dict | list):
        return value
    raise ValueError(f"invalid JSON ({error})")


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
            arguments = _loads_lenient(arguments) if arguments.strip() else {}
        except (ValueError, RecursionError) as exc:
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
        value = _loads_lenient(body)
    except (ValueError, RecursionError) as exc:
        return ToolCallError(index, str(exc), text)
    return _call_from_json(value, index, text)


def _looks_like_call(value: Any) -> bool:
    return isinstance(value, dict) and (
        "function" in value or ("name" in value and ("arguments" in value or "parameters" in value))
    )


def _json_objects(text: str) -> list[tuple[int, int, Any]]:
    """Every top-level JSON object in ``text`` that reads as a call: (start, end, value)."""
    decoder = json.JSONDecoder(strict=False)
    found = []
    position = 0
    while (start := text.find("{", position)) >= 0:
        try:
            value, end = decoder.raw_decode(text, start)
        except (json.JSONDecodeError, RecursionError):
            position = start + 1
            continue
        if _looks_like_call(value):
            found.append((start, end, value))
            position = end
        else:
            position = start + 1
    return found


def _parse_hermes(text: str) -> ParsedMessage | None:
    blocks = list(_BLOCK.finditer(text))
    if not blocks:
        return None
    items = [_parse_block(m.group(1), i) for i, m in enumerate(blocks)]
    return ParsedMessage(items, _BLOCK.sub("", text).strip())


def _parse_json_message(text: str) -> ParsedMessage | None:
    body = _strip_fence(
        text.replace(_PYTHON_TAG, "", 1) if text.lstrip().startswith(_PYTHON_TAG) else text
    )
    if not body.startswith(("{", "[")):
        return None
    try:
        value = _loads_lenient(body)
    except (ValueError, RecursionError):
        return None
    values = value if isinstance(value, list) else [value]
    if values and all(_looks_like_call(v) or (isinstance(v, dict) and "name" in v) for v in values):
        return ParsedMessage([_call_from_json(v, i, body) for i, v in enumerate(values)], "")
    return None


def _parse_llama3(text: str) -> ParsedMessage | None:
    body = text.split(_PYTHON_TAG, 1)[1] if _PYTHON_TAG in text else text
    objects = _json_objects(body)
    if not objects:
        return None
    items: list[ToolCall | ToolCallError] = [
        _call_from_json(value, i, body[start:end]) for i, (start, end, value) in enumerate(objects)
    ]
    prose = text.split(_PYTHON_TAG, 1)[0] if _PYTHON_TAG in text else text[: objects[0][0]]
    return ParsedMessage(items, prose.strip())


def parse_tool_calls(text: str, fmt: ToolFormat = "auto") -> ParsedMessage:
    """Every tool call in ``text``; an empty result means the message called nothing."""
    if not isinstance(text, str):
        return ParsedMessage([ToolCallError(0, "the action must be a string", repr(text)[:200])])
    if fmt not in FORMATS:
        raise ValueError(f"unknown tool-call format {fmt!r}; choose one of {FORMATS}")
    parsers = {
        "hermes": (_parse_hermes,),
        "json": (_parse_json_message,),
        "llama3": (_parse_json_message, _parse_llama3),
        "auto": (_parse_hermes, _parse_json_message, _parse_llama3),
    }[fmt]
    for parser in parsers:
        parsed = parser(text)
        if parsed is not None:
            return parsed
    return ParsedMessage([], text.strip())


def strip_tool_calls(text: str) -> str:
    """The free text of a message, without its tool-call markup."""
    return parse_tool_calls(text).text


def render_tool_calls(calls: list[ToolCall], content: str = "") -> str:
    """The Hermes text form of ``calls`` after optional ``content`` (the inverse of parsing)."""
    blocks = [
        "<tool_call>" + json.dumps({"name": c.name, "arguments": c.arguments}) + "</tool_call>"
        for c in calls
    ]
    return "\n".join([content.rstrip(), *blocks] if content.strip() else blocks)
