"""A measured learning run: a model built from scratch learns procedural shell tasks.

    python examples/learn_shell.py            # the full run, sized for ~8 minutes on one H100
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
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")


@dataclass
class RunConfig:
    out: Path = Path("runs/learn_shell")
    families: list[str] = field(default_factory=lambda: ["log-count"])
    train_tasks: int = 256
    test_tasks: int = 64
    hidden_size: int = 384
    layers: int = 6
    eval_max_steps: int = 3
    max_new_tokens: int = 320
    sft_epochs: int = 12
    sft_batch_size: int = 16
    sft_learning_rate: float = 1e-3
    grpo_steps: int = 12
    grpo_prompts_per_step: int = 16
    num_generations: int = 8
    grpo_learning_rate: float = 2e-5
    jobs: int = 16
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


def evaluate(config: RunConfig, model_dir: Path, tasks: list[Path], name: str) -> float:
    """pass@1 of a model on tasks (greedy decoding)."""
    from rich.console import Console
    from toolgym.agents.hf import HFPolicy, SamplingConfig

    from toolgym.evaluate import EvalConfig, EvalRun

    policy = HFPolicy(
        model_dir,
        sampling=SamplingConfig(
            max_new_tokens=config.max_new_tokens, temperature=0, batch_size=config.jobs
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
    summary = EvalRun(run, policy, console=Console(quiet=True)).run(show_progress=False)
    return float(summary["overall"]["pass@1"])


def oracle_trajectories(config: RunConfig, tasks: list[Path]) -> Path:
    from rich.console import Console
    from toolgym.agents import OraclePolicy

    from toolgym.evaluate import EvalConfig, EvalRun

    run = EvalConfig(
        tasks=[str(t) for t in tasks], agent="oracle", out=config.out / "oracle", jobs=config.jobs
    )
    EvalRun(run, OraclePolicy(), console=Console(quiet=True)).run(show_progress=False)
    return config.out / "oracle" / "trajectories.jsonl"


def sft(config: RunConfig, model_dir: Path, trajectories: Path) -> tuple[Path, list[dict]]:
    from toolgym.trainers.sft import ToolgymSFTConfig

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
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    from toolgym.trainers.sft import build_dataset
    from trl import SFTTrainer

    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=build_dataset(args, tokenizer),
        processing_class=tokenizer,
    )
    trainer.train()
    trainer.save_model(str(out))
    tokenizer.save_pretrained(str(out))
    return out, trainer.state.log_history


def grpo(config: RunConfig, model_dir: Path, tasks: list[Path]) -> tuple[Path, list[dict]]:
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
        logging_steps=1,
        save_strategy="no",
        use_cpu=config.cpu,
        bf16=not config.cpu,
        gradient_checkpointing=False,
    )
    trainer = build_trainer(args)
    trainer.train()
    trainer.save_model(str(out))
    trainer.processing_class.save_pretrained(str(out))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cpu", action="store_true", help="the tiny CPU version")
    parser.add_argument("--out", type=Path, default=Path("runs/learn_shell"))
    cli = parser.parse_args()
    config = RunConfig.tiny(cli.out) if cli.cpu else RunConfig(out=cli.out)
    config.out.mkdir(parents=True, exist_ok=True)

    from toolgym.testing import tiny_model

    started = time.monotonic()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = round(time.monotonic() - started - sum(timings.values()), 1)

    train, test = generate_splits(config)
    base = tiny_model(hidden_size=config.hidden_size, layers=config.layers)
    lap("setup")
    before = evaluate(config, base, test, "before")
    lap("eval_before")
    sft_dir, sft_log = sft(config, base, oracle_trajectories(config, train))
    lap("sft")
    after_sft = evaluate(config, sft_dir, test, "after-sft")
    lap("eval_after_sft")
    grpo_dir, grpo_log = grpo(config, sft_dir, train)
    lap("grpo")
    after_grpo = evaluate(config, grpo_dir, test, "after-grpo")
    lap("eval_after_grpo")
    results = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "pass_at_1": {"before": before, "after_sft": after_sft, "after_grpo": after_grpo},
        "seconds": timings,
        "sft_log": sft_log,
        "grpo_log": grpo_log,
    }
    (config.out / "results.json").write_text(json.dumps(results, indent=2))
    plot(results, config.out / "curve.png")
    print(json.dumps({"pass_at_1": results["pass_at_1"], "seconds": timings}, indent=2))


if __name__ == "__main__":
    main()
