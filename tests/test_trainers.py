"""TRL trainers on the tiny model with real environments: SFT masks and steps, GRPO rollouts
(groups share a task, tool output is out of the loss, updated weights are used next)."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("trl")

import torch
from rich.console import Console
from toolgym.agents import OraclePolicy
from toolgym.trainers.data import load_verified, tokenize_conversation
from toolgym.trainers.grpo import ToolgymGRPOConfig, ToolgymRollout, build_trainer
from toolgym.trainers.sft import ToolgymSFTConfig, train_sft

from toolgym.evaluate import EvalConfig, EvalRun
from toolgym.generate import get_family, write_task
from toolgym.testing import tiny_model
from toolgym.testing.fixtures import masked_spans
from toolgym.tokens import TemplateMismatch

os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
QUIET = Console(quiet=True)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    return [
        write_task(get_family(name), "train", 0, root) for name in ("log-count", "rename-pattern")
    ]


@pytest.fixture(scope="module")
def oracle_trajectories(generated, tmp_path_factory):
    out = tmp_path_factory.mktemp("oracle-run")
    EvalRun(
        EvalConfig(tasks=[str(p) for p in generated], agent="oracle", out=out),
        OraclePolicy(),
        console=QUIET,
    ).run(show_progress=False)
    return out / "trajectories.jsonl"


def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model())


def test_sft_masks_cover_exactly_the_assistant_turns(oracle_trajectories):
    records = load_verified([oracle_trajectories])
    assert len(records) == 2 and all(r["reward"] == 1.0 for r in records)
    tok = tokenizer()
    record = records[0]
    ids, mask = tokenize_conversation(
        tok, record["messages"], __import__("json").loads(record["tools"])
    )
    assert len(ids) == len(mask) and 0 < sum(mask) < len(mask)
    spans = masked_spans(ids, mask)
    assert len(spans) == 2, "one span per assistant turn (bash, then submit)"
    texts = [tok.decode(span) for span in spans]
    assert all(text.endswith("<|im_end|>") for text in texts), "the model learns to stop"
    assert '"name": "bash"' in texts[0] and '"name": "submit"' in texts[1]
    unmasked = tok.decode([t for t, bit in zip(ids, mask, strict=True) if not bit])
    assert "[exit code 0]" in unmasked, "tool output is context, not loss"


def test_sft_refuses_a_template_that_rewrites_history(oracle_trajectories):
    tok = tokenizer()
    tok.chat_template = tok.chat_template.replace(
        "(message.content or '')", "((message.content or '') if loop.last else 'old')"
    )
    record = load_verified([oracle_trajectories])[0]
    messages = record["messages"] + [{"role": "assistant", "content": "more"}]
    with pytest.raises(TemplateMismatch):
        tokenize_conversation(tok, messages, None)


def test_sft_trains_on_verified_trajectories(oracle_trajectories, tmp_path):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model())
    before = [p.detach().clone() for p in model.parameters()]
    config = ToolgymSFTConfig(
        output_dir=str(tmp_path / "sft"),
        trajectories=[str(oracle_trajectories)],
        max_steps=2,
        per_device_train_batch_size=2,
        learning_rate=1e-3,
        report_to=[],
        save_strategy="no",
        use_cpu=True,
        logging_steps=1,
    )
    out = train_sft(config, model=model, tokenizer=tokenizer())
    assert (out / "config.json").exists() and (out / "tokenizer.json").exists()
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    with pytest.raises(ValueError, match="nothing to fine-tune on"):
        train_sft(
            ToolgymSFTConfig(
                output_dir=str(tmp_path / "x"),
                trajectories=[str(oracle_trajectories)],
                min_reward=2.0,
                use_cpu=True,
                report_to=[],
            ),
            model=model,
            tokenizer=tokenizer(),
        )


class RecordingRollout(ToolgymRollout):
    def __init__(self, config):
        super().__init__(config)
        self.calls = []

    def __call__(self, prompts, trainer):
        out = super().__call__(prompts, trainer)
        self.calls.append((prompts, out, self._policy(trainer).model))
        return out


def test_grpo_steps_with_real_environments(generated, tmp_path, monkeypatch):
    import random

    from transformers import AutoModelForCausalLM

    # A random model earns no reward, so no gradient: give the verifier reward some variance
    # to see a real update (the rollouts, masks and groups are the real thing).
    rng = random.Random(0)
    monkeypatch.setattr(
        "toolgym.trainers.grpo.verifier_reward",
        lambda completions, toolgym_reward, **_: [rng.random() for _ in completions],
    )

    model = AutoModelForCausalLM.from_pretrained(tiny_model())
    config = ToolgymGRPOConfig(
        output_dir=str(tmp_path / "grpo"),
        tasks=[str(p) for p in generated],
        max_steps=2,
        per_device_train_batch_size=4,
        num_generations=4,
        env_max_steps=2,
        max_new_tokens_per_turn=12,
        rollout_batch_size=8,
        use_cpu=True,
        save_strategy="no",
        learning_rate=1e-2,
        length_penalty_weight=1.0,
        format_reward_weight=1.0,
    )
    trainer = build_trainer(config, model=model, tokenizer=tokenizer())
    rollout = RecordingRollout(config)
    trainer.rollout_func = rollout
    before = [p.detach().clone() for p in model.parameters()]
    trainer.train()
    assert len(rollout.calls) == 2
    tok = trainer.processing_class
    for prompts, out, policy_model in rollout.calls:
        assert policy_model is trainer.accelerator.unwrap_model(trainer.model), "live weights"
        metas = [p[-1]["toolgym"] for p in prompts]
        for group in range(0, len(metas), config.num_generations):
            assert len({str(m) for m in metas[group : group + config.num_generations]}) == 1
        for completion, mask in zip(out["completion_ids"], out["env_mask"], strict=True):
            assert len(completion) == len(mask)
            environment = tok.decode(
                [t for t, bit in zip(completion, mask, strict=True) if not bit]
            )
            assert "Error:" in environment or "[exit code" in environment
            sampled = [t for t, bit in zip(completion, mask, strict=True) if bit]
            assert 0 < len(sampled) <= 2 * 12
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    logs = [entry for entry in trainer.state.log_history if "toolgym/pass_rate" in entry]
    assert logs and {
        "toolgym/reward_mean",
        "toolgym/turns_mean",
        "toolgym/generation_seconds",
        "toolgym/environment_seconds",
    } <= set(logs[0])


def test_learning_script_runs_end_to_end_on_cpu(tmp_path):
    """The CPU-sized learning run writes its numbers and its curve (improvement is not
    asserted: a toy model on two tasks learns nothing in a minute)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "examples" / "learn_shell.py"
    result = subprocess.run(
        [sys.executable, str(script), "--cpu", "--out", str(tmp_path), "--set", "train_tasks=3"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    numbers = json.loads((tmp_path / "results.json").read_text())
    assert numbers["config"]["train_tasks"] == 3  # --set overrides reach the run
    assert set(numbers["pass_at_1"]) == {"before", "after_sft", "after_grpo"}
    assert all(0.0 <= v <= 1.0 for v in numbers["pass_at_1"].values())
    assert numbers["errors"] == {"before": 0, "after_sft": 0, "after_grpo": 0}
    assert numbers["oracle"] == {"episodes": 3, "pass@1": 1.0, "errors": 0}
    assert any("train_loss" in entry for entry in numbers["sft_log"])
    assert any("toolgym/reward_mean" in entry for entry in numbers["grpo_log"])
    assert (tmp_path / "curve.png").stat().st_size > 1000
