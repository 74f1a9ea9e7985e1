"""The fast generation path: static KV cache, compiled decode, bucketed shapes (CPU checks)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from toolgym.agents.hf import HFPolicy, SamplingConfig, bucket  # noqa: E402
from torch._dynamo.utils import counters  # noqa: E402

from toolgym.testing import tiny_model  # noqa: E402


def fast_policy(**options) -> HFPolicy:
    sampling = SamplingConfig(
        max_new_tokens=12,
        temperature=0,
        fast=True,
        compile_backend="eager",
        compile_mode=None,
        prompt_buckets=(32, 64, 128),
        batch_buckets=(2, 4),
        **options,
    )
    return HFPolicy(tiny_model(), sampling=sampling)


def test_buckets():
    assert bucket(5, (4, 8, 16)) == 8 and bucket(8, (4, 8, 16)) == 8 and bucket(17, (4, 8)) == 17


def test_fast_path_gives_the_same_greedy_tokens_as_plain_generate():
    plain = HFPolicy(
        tiny_model(), sampling=SamplingConfig(max_new_tokens=12, temperature=0, fast=False)
    )
    fast = fast_policy()
    prompts = [plain.encode("list the files " * n) for n in (1, 4, 9)]
    expected = plain.generate_ids(prompts)
    got = fast.generate_ids(prompts)
    assert [c.token_ids for c in got] == [c.token_ids for c in expected]
    for a, b in zip(got, expected, strict=True):
        assert a.logprobs == pytest.approx(b.logprobs, abs=1e-4)
    assert fast.compiled_shapes, "the static-cache path ran"


def test_recompilation_stays_at_the_number_of_buckets_over_a_multi_turn_run():
    policy = fast_policy()
    turns = [
        [policy.encode("turn " * (4 + 6 * t + i)) for i in range(2 + t % 2)] for t in range(6)
    ]  # growing prompts, changing batch sizes, like a conversation
    counters.clear()
    for prompts in turns:
        policy.generate_ids(prompts)
    first_pass = counters["stats"]["unique_graphs"]
    assert 0 < first_pass <= len(policy.compiled_shapes) <= 6
    for prompts in turns:  # the same shapes again: nothing compiles
        policy.generate_ids(prompts)
    assert counters["stats"]["unique_graphs"] == first_pass


def test_fast_path_is_off_on_the_cpu_unless_asked():
    policy = HFPolicy(tiny_model(), sampling=SamplingConfig(max_new_tokens=4))
    assert policy.device == "cpu" and not policy.fast
