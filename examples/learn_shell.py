"""A measured learning run: a model built from scratch learns procedural shell tasks.

    python examples/learn_shell.py            # the full run, sized for ~7-8 minutes on one H100
    python examples/learn_shell.py --cpu      # a tiny version of the same pipeline (CI smoke)

Steps, every number written to OUT/results.json and a learning curve to OUT/curve.png:

1. generate tasks from procedural families: a train split and a disjoint test split;
2. build a small Qwen2-shaped model and a BPE tokenizer from scratch (no download);
3. evaluate it on the test split (pass@1 before training: ~0);
4. run the oracle on the train split and fine-tune on its verified trajectories (SFT);
5. evaluate again; then GRPO on the train split with multi-turn rollouts; evaluate again.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")


@dataclass
class RunConfig:
    """Sizes of the run. The defaults follow phase times measured on one H100 (PHASES_ON_H100)."""

    out: Path = Path("runs/learn_shell")
    families: list[str] = field(default_factory=lambda: ["log-count"])
    train_tasks: int = 192
    test_tasks: int = 32
    hidden_size: int = 384
    layers: int = 6
    eval_max_steps: int = 2  # the oracle needs two: one command, then submit
    max_new_tokens: int = 320  # the oracle's command is ~290 tokens with the tiny tokenizer
    sft_epochs: int = 12
    sft_batch_size: int = 16
    sft_learning_rate: float = 1e-3
    grpo_steps: int = 6
    grpo_prompts_per_step: int = 8
    num_generations: int = 8
    grpo_learning_rate: float = 2e-5
    jobs: int = 64
    # Static KV cache + compiled decode for evaluation and GRPO rollouts (None: on CUDA). Off
    # here: a 6-layer model with short completions gains less than the per-bucket compiles of
    # three evaluations and a trainer cost; the H100 phase times below were measured without it.
    fast_generation: bool | None = False
    cpu: bool = False

    @classmethod
    def tiny(cls, out: Path) -> RunConfig:
        """The CPU smoke version: the same pipeline at toy sizes (about two minutes)."""
        return cls(
            out=out,
            train_tasks=4,
            test_tasks=2,
            hidden_size=64,
            layers=2,
            eval_max_steps=2,
            max_new_tokens=24,
            sft_epochs=1,
            sft_batch_size=2,
            grpo_steps=1,
            grpo_prompts_per_step=2,
            num_generations=2,
            jobs=4,
            cpu=True,
        )


# Measured on one H100 (2026-11-27) with these defaults: seconds per phase. Each generated task
# builds its own sandbox template on first use, which dominates the oracle and first evaluation.
# The run was cut off by the session's device time during the after-SFT evaluation.
PHASES_ON_H100 = {"setup": 17.6, "eval_before": 93.3, "oracle_and_sft": 130.5}  # SFT: 21 s


def generate_splits(config: RunConfig) -> tuple[list[Path], list[Path]]:
    from toolgym.generate import get_family, write_task

    train, test = [], []
    for name in config.families:
        family = get_family(name)
        train += [
            write_task(family, "train", s, config.out / "tasks" / "train")
            for s in range(config.train_tasks)
        ]
        test += [
            write_task(family, "test", s, config.out / "tasks" / "test")
            for s in range(config.test_tasks)
        ]
    return train, test


def quiet_eval(run: Any, policy: Any, what: str) -> dict:
    """Run an evaluation without progress output and return its summary, saying loudly if
    episodes errored (their reward is not a score)."""
    from rich.console import Console

    from toolgym.evaluate import EvalRun

    summary = EvalRun(run, policy, console=Console(quiet=True)).run(show_progress=False)
    if summary["errors"]:
        print(f"[learn_shell] WARNING: {summary['errors']} {what} episodes errored", flush=True)
    return summary


def evaluate(config: RunConfig, model_dir: Path, tasks: list[Path], name: str) -> dict:
    """pass@1 of a model on tasks (greedy decoding), with the episodes that errored."""
    from toolgym.agents.hf import HFPolicy, SamplingConfig

    from toolgym.evaluate import EvalConfig

    policy = HFPolicy(
        model_dir,
        sampling=SamplingConfig(
            max_new_tokens=config.max_new_tokens,
            temperature=0,
            batch_size=config.jobs,
            fast=config.fast_generation,
        ),
        device="cpu" if config.cpu else None,
    )
    run = EvalConfig(
        tasks=[str(t) for t in tasks],
        agent="hf",
        model=str(model_dir),
        out=config.out / f"eval-{name}",
        jobs=config.jobs,
        max_steps=config.eval_max_steps,
    )
    summary = quiet_eval(run, policy, f"eval-{name}")
    return {"pass@1": float(summary["overall"]["pass@1"]), "errors": summary["errors"]}


def oracle_trajectories(config: RunConfig, tasks: list[Path]) -> tuple[Path, dict]:
    from toolgym.agents import OraclePolicy

    from toolgym.evaluate import EvalConfig

    run = EvalConfig(
        tasks=[str(t) for t in tasks], agent="oracle", out=config.out / "oracle", jobs=config.jobs
    )
    summary = quiet_eval(run, OraclePolicy(), "oracle")
    stats = {"episodes": summary["episodes_run"], "pass@1": summary["overall"]["pass@1"]}
    return config.out / "oracle" / "trajectories.jsonl", stats | {"errors": summary["errors"]}


def sft(config: RunConfig, model_dir: Path, trajectories: Path) -> tuple[Path, list[dict]]:
    from toolgym.trainers.common import train_and_save
    from toolgym.trainers.sft import ToolgymSFTConfig, build_sft_trainer

    out = config.out / "sft"
    args = ToolgymSFTConfig(
        output_dir=str(out),
        model_name_or_path=str(model_dir),
        trajectories=[str(trajectories)],
        num_train_epochs=config.sft_epochs,
        per_device_train_batch_size=config.sft_batch_size,
        learning_rate=config.sft_learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=0.05,
        logging_steps=5,
        save_strategy="no",
        report_to=[],
        use_cpu=config.cpu,
        bf16=not config.cpu,
        gradient_checkpointing=False,
    )
    trainer = build_sft_trainer(args)
    train_and_save(trainer)
    return out, trainer.state.log_history


def grpo(config: RunConfig, model_dir: Path, tasks: list[Path]) -> tuple[Path, list[dict]]:
    from toolgym.trainers.common import train_and_save
    from toolgym.trainers.grpo import ToolgymGRPOConfig, build_trainer

    out = config.out / "grpo"
    args = ToolgymGRPOConfig(
        output_dir=str(out),
        model_name_or_path=str(model_dir),
        tasks=[str(t) for t in tasks],
        max_steps=config.grpo_steps,
        num_generations=config.num_generations,
        per_device_train_batch_size=config.grpo_prompts_per_step * config.num_generations,
        env_max_steps=config.eval_max_steps,
        max_new_tokens_per_turn=config.max_new_tokens,
        rollout_batch_size=config.grpo_prompts_per_step * config.num_generations,
        learning_rate=config.grpo_learning_rate,
        temperature=1.0,
        fast_generation=config.fast_generation,
        logging_steps=1,
        save_strategy="no",
        use_cpu=config.cpu,
        bf16=not config.cpu,
        gradient_checkpointing=False,
    )
    trainer = build_trainer(args)
    train_and_save(trainer)
    return out, trainer.state.log_history


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (stages, curve) = plt.subplots(1, 2, figsize=(10, 4))
    names = ["before", "after SFT", "after GRPO"]
    values = [results["pass_at_1"][k] for k in ("before", "after_sft", "after_grpo")]
    stages.bar(names, values, color=["#999999", "#4c72b0", "#dd8452"])
    stages.set_ylim(0, 1)
    stages.set_title("pass@1 on held-out test-split tasks")
    sft_loss = [(e["step"], e["loss"]) for e in results["sft_log"] if "loss" in e]
    grpo_reward = [
        (e["step"], e["toolgym/reward_mean"])
        for e in results["grpo_log"]
        if "toolgym/reward_mean" in e
    ]
    if sft_loss:
        curve.plot(*zip(*sft_loss, strict=True), label="SFT loss")
    if grpo_reward:
        twin = curve.twinx()
        twin.plot(*zip(*grpo_reward, strict=True), color="#dd8452", label="GRPO reward")
        twin.set_ylim(0, 1)
        twin.set_ylabel("GRPO mean reward")
    curve.set_xlabel("step")
    curve.set_ylabel("SFT loss")
    curve.set_title("training")
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def stage(results: dict, name: str, outcome: dict) -> None:
    """Record one evaluation: its pass@1, and its errored episodes apart."""
    results["pass_at_1"][name] = outcome["pass@1"]
    results["errors"][name] = outcome["errors"]


def override(config: RunConfig, assignments: list[str]) -> RunConfig:
    """Apply ``FIELD=VALUE`` overrides, converting each value to the field's type."""
    fields = {f.name: f for f in dataclasses.fields(config)}
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        if not sep or name not in fields:
            raise ValueError(
                f"--set {assignment!r}: expected FIELD=VALUE with FIELD one of {', '.join(fields)}"
            )
        current = getattr(config, name)
        if "bool" in str(fields[name].type):
            flags = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
            if raw.lower() not in flags and raw.lower() not in ("none", "auto"):
                raise ValueError(f"--set {assignment!r}: {name} must be true, false or auto")
            value: object = flags.get(raw.lower())
        elif isinstance(current, list):
            value = [item for item in raw.split(",") if item]
        elif isinstance(current, Path):
            value = Path(raw)
        else:
            try:
                value = type(current)(raw)
            except ValueError:
                message = f"--set {assignment!r}: {name} must be {type(current).__name__}"
                raise ValueError(message) from None
        setattr(config, name, value)
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cpu", action="store_true", help="the tiny CPU version")
    parser.add_argument("--out", type=Path, default=Path("runs/learn_shell"))
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override a RunConfig field, e.g. --set grpo_steps=8 (repeatable)",
    )
    cli = parser.parse_args()
    config = RunConfig.tiny(cli.out) if cli.cpu else RunConfig(out=cli.out)
    try:
        config = override(config, cli.set)
    except ValueError as error:
        parser.error(str(error))
    config.out.mkdir(parents=True, exist_ok=True)

    from toolgym.testing import tiny_model

    started = time.monotonic()
    results: dict = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "pass_at_1": {},
        "errors": {},
        "oracle": {},
        "seconds": {},
        "sft_log": [],
        "grpo_log": [],
    }
    timings: dict[str, float] = results["seconds"]
    phase_started = started

    def lap(name: str) -> None:
        """Record a phase's time and rewrite results.json, so a cut-off run keeps what it did."""
        nonlocal phase_started
        now = time.monotonic()
        timings[name] = round(now - phase_started, 1)
        phase_started = now
        (config.out / "results.json").write_text(json.dumps(results, indent=2))
        done = f"pass@1 {results['pass_at_1']} errors {results['errors']}"
        print(f"[learn_shell] {name}: {timings[name]} s, {done}", flush=True)

    train, test = generate_splits(config)
    base = tiny_model(hidden_size=config.hidden_size, layers=config.layers)
    lap("setup")
    stage(results, "before", evaluate(config, base, test, "before"))
    lap("eval_before")
    trajectories, results["oracle"] = oracle_trajectories(config, train)
    sft_dir, results["sft_log"] = sft(config, base, trajectories)
    lap("sft")
    stage(results, "after_sft", evaluate(config, sft_dir, test, "after-sft"))
    lap("eval_after_sft")
    grpo_dir, results["grpo_log"] = grpo(config, sft_dir, train)
    lap("grpo")
    stage(results, "after_grpo", evaluate(config, grpo_dir, test, "after-grpo"))
    lap("eval_after_grpo")
    plot(results, config.out / "curve.png")
    print(json.dumps({"pass_at_1": results["pass_at_1"], "seconds": timings}, indent=2))


if __name__ == "__main__":
    main()
