"""Token accounting: turn t's tokens are a prefix of turn t+1's; masked-in tokens decode to
exactly what the policy wrote; tool output and template tokens are never in the loss."""

from __future__ import annotations

import itertools
import json

import pytest

pytest.importorskip("torch")

from toolgym.agents.hf import HFPolicy, SamplingConfig

from toolgym.testing import tiny_model
from toolgym.testing.fixtures import BASH_TOOL_SCHEMAS, masked_spans
from toolgym.tokens import TemplateMismatch, TurnTokenizer

TOOLS = BASH_TOOL_SCHEMAS


@pytest.fixture(scope="module", params=["chatml", "header"])
def policy(request):
    return HFPolicy(
        tiny_model(template=request.param), sampling=SamplingConfig(max_new_tokens=16), seed=0
    )


def scripted_turns(policy):
    """Assistant texts as a model of this template would write them, and the tool replies."""
    call = {"name": "bash", "arguments": {"command": "ls -la /app"}}
    if policy.end_of_turn_ids and "im_end" in policy.tokenizer.decode(policy.end_of_turn_ids):
        first = "Let me look.\n<tool_call>\n" + json.dumps(call) + "\n</tool_call>"
    else:
        first = json.dumps({"name": "bash", "parameters": call["arguments"]})
    return [
        (
            first,
            [
                {
                    "role": "tool",
                    "tool_call_id": "c1",
                    "name": "bash",
                    "content": "total 8\n-rw-r--r-- 1 root root 6 a.txt\n[exit code 0]",
                }
            ],
        ),
        ("Not a call at all, just text.", [{"role": "user", "content": "Error: No tool call."}]),
        ("Done ✓ — submitting.", None),
    ]


def play(policy, tokenizer_for_turns, turns):
    messages = [{"role": "user", "content": "List the files in /app."}]
    record = tokenizer_for_turns.start(messages)
    snapshots = [list(record.ids)]
    for text, observation in turns:
        completion = [*policy.encode(text), policy.end_of_turn_ids[0]]
        tokenizer_for_turns.add_completion(record, completion, [-0.5] * len(completion), "stop")
        if observation is not None:
            tokenizer_for_turns.add_observation(record, observation)
        snapshots.append(list(record.ids))
    return record, snapshots


def test_each_turn_is_a_prefix_of_the_next(policy):
    turns = scripted_turns(policy)
    record, snapshots = play(policy, TurnTokenizer(policy, TOOLS), turns)
    for before, after in itertools.pairwise(snapshots):
        assert after[: len(before)] == before
    assert len(record.ids) == len(record.mask) == len(record.logprobs)


def test_masked_tokens_decode_to_exactly_the_assistant_text(policy):
    turns = scripted_turns(policy)
    record, _ = play(policy, TurnTokenizer(policy, TOOLS), turns)
    spans = masked_spans(record.ids, record.mask)
    assert [policy.decode(span) for span in spans] == [text for text, _ in turns]
    assert all(span[-1] == policy.end_of_turn_ids[0] for span in spans)
    sampled = [lp for lp, m in zip(record.logprobs, record.mask, strict=True) if m]
    assert sampled == [-0.5] * sum(record.mask)
    unsampled = [lp for lp, m in zip(record.logprobs, record.mask, strict=True) if not m]
    assert set(unsampled) == {0.0}
    text = policy.tokenizer.decode(
        [t for t, m in zip(record.ids, record.mask, strict=True) if not m]
    )
    assert "total 8" in text and "Error: No tool call." in text, "tool output is in, unmasked"


def test_appended_tokens_equal_the_template_rendering_of_the_whole_conversation(policy):
    """For these templates, building by appending agrees with rendering the final history."""
    turns = scripted_turns(policy)
    record, _ = play(policy, TurnTokenizer(policy, TOOLS), turns[:2])
    messages = [{"role": "user", "content": "List the files in /app."}]
    for text, observation in turns[:2]:
        messages.append({"role": "assistant", "content": text})
        messages.extend(observation)
    rendered = policy.encode(policy.render(messages, TOOLS))
    assert record.ids == rendered


def test_a_cut_short_completion_is_closed_with_an_unmasked_end_token(policy):
    turner = TurnTokenizer(policy, TOOLS)
    record = turner.start([{"role": "user", "content": "hi"}])
    prompt = len(record.ids)
    turner.add_completion(record, policy.encode("truncated mid"), None, "length")
    assert record.ids[-1] == policy.end_of_turn_ids[0] and record.mask[-1] == 0
    assert record.turns == [
        {
            "prompt_tokens": prompt,
            "completion_tokens": len(policy.encode("truncated mid")),
            "finish_reason": "length",
        }
    ]


def test_templates_that_rewrite_history_are_still_exact(policy):
    """A Qwen3-style template drops earlier reasoning; appending never re-renders it."""
    original = policy.tokenizer.chat_template
    try:
        policy.tokenizer.chat_template = original.replace(
            "(message.content or '')",
            "((message.content or '').split('</think>')[-1] if not loop.last "
            "else (message.content or ''))",
        )
        turner = TurnTokenizer(policy, TOOLS)
        thought = "<think>plan: list files</think>ok"
        record, snapshots = play(
            policy, turner, [(thought, [{"role": "user", "content": "next"}]), ("end", None)]
        )
        assert snapshots[1][: len(snapshots[0])] == snapshots[0]
        assert policy.tokenizer.decode(record.ids).count("plan: list files") == 1
        naive = policy.encode(
            policy.render(
                [
                    {"role": "user", "content": "List the files in /app."},
                    {"role": "assistant", "content": thought},
                    {"role": "user", "content": "next"},
                ],
                TOOLS,
            )
        )
        assert naive != snapshots[1][: len(naive)], "re-rendering would have changed history"
    finally:
        policy.tokenizer.chat_template = original


def test_template_without_end_marker_is_refused(policy):
    original = policy.tokenizer.chat_template
    try:
        policy.tokenizer.chat_template = "{% for m in messages %}{{ m.content }}{% endfor %}"
        with pytest.raises(TemplateMismatch, match="never writes"):
            TurnTokenizer(policy, TOOLS)
    finally:
        policy.tokenizer.chat_template = original
