"""Generation tokens/s: plain ``model.generate`` against the fast path, measured in one run.

    python bench/gen_throughput.py                 # CUDA: a random Qwen2.5-0.5B-shaped model
    python bench/gen_throughput.py --tiny          # CPU plumbing check with the tiny model

Two workloads at batch 64 and 256 (``--batch``):

* ``generate``: one batched call of ``--new-tokens`` tokens per sequence;
* ``rollout``: a real multi-turn rollout over the shell suite through the rollout engine
  (prompts grow turn by turn, environments step between turns), tokens/s of sampled tokens.

The fast path is a static KV cache with a compiled decode step and bucketed shapes
(``SamplingConfig(fast=True)``); its first call per bucket pays the compile, reported apart:
the single call is timed after a warm-up call, the fast rollout after a warm-up rollout (every
environment's sandbox template is built before anything is timed).
The model is randomly initialised (no download) with the tiny BPE tokenizer; sampling is
restricted to the tokenizer's ids while the output layer keeps the full vocabulary, so each
step costs what the real model's does.
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def build_model(tiny: bool, device: str):  # type: ignore[no-untyped-def]
    import torch
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

    from toolgym.testing import tiny_model

    path = tiny_model()
    tokenizer = AutoTokenizer.from_pretrained(path)
    if tiny:
        from transformers import AutoModelForCausalLM

        return AutoModelForCausalLM.from_pretrained(path).to(device), tokenizer
    config = Qwen2Config(  # Qwen2.5-0.5B's shape
        vocab_size=151936,
        hidden_size=896,
        intermediate_size=4864,
        num_hidden_layers=24,
        num_attention_heads=14,
        num_key_value_heads=2,
        max_position_embeddings=32768,
        tie_word_embeddings=True,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(config).to(device=device, dtype=torch.bfloat16)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    return model, tokenizer


def policy_for(model, tokenizer, fast: bool, new_tokens: int, batch: int, device: str):  # type: ignore[no-untyped-def]
    from toolgym.agents.hf import HFPolicy, SamplingConfig

    sampling = SamplingConfig(
        max_new_tokens=new_tokens, temperature=1.0, batch_size=batch, fast=fast, logprobs=False
    )
    if fast and not device.startswith("cuda"):
        sampling.compile_backend, sampling.compile_mode = "eager", None
    return HFPolicy(model, tokenizer=tokenizer, sampling=sampling, device=device, seed=0)


def single_call(policy, batch: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    prompt = policy.encode(policy.render([{"role": "user", "content": "List the files."}], []))
    policy.generate_ids([prompt] * batch)  # warm-up (pays compilation on the fast path)
    compile_seconds = sum(policy.compiled_shapes.values())
    start = time.monotonic()
    out = policy.generate_ids([prompt] * batch)
    seconds = time.monotonic() - start
    tokens = sum(len(c.token_ids) for c in out)
    return {
        "tokens": tokens,
        "seconds": seconds,
        "tokens_per_second": tokens / seconds,
        "first_call_seconds": compile_seconds,
    }


def rollout(policy, backend, batch: int, tasks: list, turns: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from toolgym.envs import make_env

    from toolgym.engine import EpisodeJob, RolloutEngine

    sampled = 0

    def finished(job, episode, tokens) -> None:  # type: ignore[no-untyped-def]
        nonlocal sampled
        sampled += sum(tokens.mask)

    jobs = [EpisodeJob(tasks[i % len(tasks)], sample=i) for i in range(batch)]

    def run_once() -> tuple[float, object]:
        engine = RolloutEngine(
            policy,
            lambda task: make_env(task, backend=backend, max_steps=turns, prewarm=False),
            batch_size=batch,
            token_level=True,
        )
        start = time.monotonic()
        try:
            stats = engine.run(jobs, finished)
        finally:
            engine.close()
        return time.monotonic() - start, stats

    warmup_seconds = None
    if policy.fast:  # the first rollout compiles each shape bucket it meets; time the second
        warmup_seconds, _ = run_once()
    shapes_before = len(policy.compiled_shapes)
    sampled = 0
    seconds, stats = run_once()
    return {
        "tokens": sampled,
        "seconds": seconds,
        "tokens_per_second": sampled / seconds,
        "generation_seconds": stats.generate_seconds,
        "generate_calls": stats.generate_calls,
        "environment_share": 1 - stats.generate_seconds / seconds,
        "warmup_rollout_seconds": warmup_seconds,
        "compiled_shapes": len(policy.compiled_shapes),
        "shapes_compiled_while_timed": len(policy.compiled_shapes) - shapes_before,
        "compile_seconds": sum(policy.compiled_shapes.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="the tiny model (CPU plumbing)")
    parser.add_argument("--batch", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--new-tokens", type=int, default=256)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--tasks", default="shell")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import torch

    from toolgym.dockerfile import DockerfileError
    from toolgym.sandbox import get_backend
    from toolgym.task import load_tasks

    device = "cuda" if torch.cuda.is_available() else "cpu"
    model, tokenizer = build_model(args.tiny or device == "cpu", device)
    tasks = load_tasks(args.tasks)
    backend = get_backend("bwrap")

    def buildable(task) -> bool:  # type: ignore[no-untyped-def]
        try:
            backend.prepare(task)
            return True
        except DockerfileError as exc:  # e.g. a Debian package this host lacks
            print(f"skipping {task.name}: {exc}")
            return False

    # build every sandbox template now, not inside the first timed rollout
    with ThreadPoolExecutor(8) as pool:
        tasks = [t for t, ok in zip(tasks, pool.map(buildable, tasks), strict=True) if ok]
    rows = []
    for batch in args.batch:
        for fast in (False, True):
            policy = policy_for(model, tokenizer, fast, args.new_tokens, batch, device)
            row = {
                "batch": batch,
                "path": "fast" if fast else "plain",
                "device": device,
                "generate": single_call(policy, batch),
                "rollout": rollout(policy, backend, batch, tasks, args.turns),
            }
            rows.append(row)
            print(json.dumps(row))
    for batch in args.batch:
        plain, fast = (
            next(r for r in rows if r["batch"] == batch and r["path"] == p)
            for p in ("plain", "fast")
        )
        for workload in ("generate", "rollout"):
            ratio = fast[workload]["tokens_per_second"] / plain[workload]["tokens_per_second"]
            print(
                f"batch {batch} {workload}: plain {plain[workload]['tokens_per_second']:.0f} "
                f"tok/s, fast {fast[workload]['tokens_per_second']:.0f} tok/s, {ratio:.2f}x"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
