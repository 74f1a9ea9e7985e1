"""Tool-call parsing: the Hermes form, bare JSON, and readable errors for malformed calls."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from toolgym.toolcalls import ToolCall, ToolCallError, parse_tool_calls, render_tool_calls


def test_single_hermes_call():
    parsed = parse_tool_calls(
        'Let me look.\n<tool_call>\n{"name": "bash", "arguments": {"command": "ls -la"}}\n'
        "</tool_call>"
    )
    assert [(c.name, c.arguments) for c in parsed.calls] == [("bash", {"command": "ls -la"})]
    assert parsed.errors == []


def test_several_calls_keep_their_order_and_errors_their_place():
    text = (
        '<tool_call>{"name": "bash", "arguments": {"command": "a"}}</tool_call>'
        "<tool_call>{not json}</tool_call>"
        '<tool_call>{"name": "submit", "arguments": {}}</tool_call>'
    )
    items = parse_tool_calls(text).items
    assert isinstance(items[0], ToolCall) and items[0].arguments == {"command": "a"}
    assert isinstance(items[1], ToolCallError) and "invalid JSON" in items[1].message
    assert isinstance(items[2], ToolCall) and items[2].name == "submit"


def test_bare_json_message_counts_as_a_call():
    parsed = parse_tool_calls('  {"name": "bash", "arguments": {"command": "pwd"}}  ')
    assert parsed.calls[0].arguments == {"command": "pwd"}
    fenced = parse_tool_calls('```json\n{"name": "submit", "arguments": {}}\n```')
    assert fenced.calls[0].name == "submit"
    listed = parse_tool_calls('[{"name": "a", "arguments": {}}, {"name": "b"}]')
    assert [c.name for c in listed.calls] == ["a", "b"]


def test_plain_prose_and_unrelated_json_are_not_calls():
    assert parse_tool_calls("I am done thinking.").items == []
    assert parse_tool_calls('{"answer": 42}').items == []
    assert parse_tool_calls("").items == []


def test_argument_variants():
    as_string = parse_tool_calls(
        '<tool_call>{"name": "bash", "arguments": "{\\"command\\": \\"ls\\"}"}</tool_call>'
    )
    assert as_string.calls[0].arguments == {"command": "ls"}
    parameters = parse_tool_calls('<tool_call>{"name": "bash", "parameters": {"x": 1}}</tool_call>')
    assert parameters.calls[0].arguments == {"x": 1}
    missing = parse_tool_calls('<tool_call>{"name": "submit"}</tool_call>')
    assert missing.calls[0].arguments == {}
    openai = parse_tool_calls(
        '<tool_call>{"type": "function", "function": {"name": "f", "arguments": "{}"}}</tool_call>'
    )
    assert openai.calls[0].name == "f"


def test_malformed_calls_explain_themselves():
    cases = {
        "<tool_call>[1, 2]</tool_call>": "expected a JSON object",
        '<tool_call>{"arguments": {}}</tool_call>': 'missing "name"',
        '<tool_call>{"name": "bash", "arguments": [1]}</tool_call>': "must be a JSON object",
        '<tool_call>{"name": "bash", "arguments": "{oops"}</tool_call>': "string but not JSON",
        "<tool_call>  </tool_call>": "empty tool call",
    }
    for text, words in cases.items():
        errors = parse_tool_calls(text).errors
        assert errors and words in errors[0].message, (text, errors)


def test_unclosed_last_block_is_read_when_complete():
    parsed = parse_tool_calls('<tool_call>{"name": "bash", "arguments": {"command": "ls"}}')
    assert parsed.calls[0].arguments == {"command": "ls"}


def test_render_round_trip():
    calls = [ToolCall("bash", {"command": "echo 'x' \"y\"\n"}), ToolCall("submit", {})]
    text = render_tool_calls(calls, "thinking")
    assert text.startswith("thinking\n")
    again = parse_tool_calls(text).calls
    assert [(c.name, c.arguments) for c in again] == [(c.name, c.arguments) for c in calls]
    assert json.loads(calls[0].to_openai()["function"]["arguments"]) == calls[0].arguments


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parsing_never_raises(text):
    parsed = parse_tool_calls(text)
    assert all(isinstance(i, ToolCall | ToolCallError) for i in parsed.items)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_arbitrary_json_inside_tags_never_raises(value):
    parsed = parse_tool_calls(f"<tool_call>{json.dumps(value)}</tool_call>")
    assert len(parsed.items) == 1
