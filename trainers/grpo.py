"""``toolgym train grpo``: TRL's GRPOTrainer with multi-turn rollouts in toolgym environments.

Why ``rollout_func`` rather than ``environment_factory``: TRL's environment loop re-renders and
re-tokenises the conversation after every tool call and exposes every public method of an
environment as a tool; toolgym already runs batched multi-turn episodes with exact token
accounting (:mod:`toolgym.tokens`), sandboxes and hidden verifiers. So the rollout function hands
TRL, per episode, the first prompt's tokens, everything after it as the "completion" (the
policy's sampled tokens and the environment's tokens, in order), the sampled tokens' log-
probabilities, and ``env_mask`` (1 exactly on sampled tokens), so environment tokens are context
but never loss.

Groups: the prompt dataset holds one row per (task, seed); TRL repeats each row
``num_generations`` times in a row, and every repeat becomes an episode of that same task and
seed, so a GRPO group always shares its task. The verifier's reward is the main reward;
optional shaping terms (``format_reward_weight``, ``length_penalty_weight``) are named and off by
default.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgym.agents.hf import HFPolicy, SamplingConfig
from toolgym.envs import make_env
from toolgym.trainers.common import load_model_and_tokenizer, train_and_save
from trl import GRPOConfig, GRPOTrainer

from toolgym.engine import EpisodeJob, RolloutEngine
from toolgym.sandbox import get_backend
from toolgym.task import Task, load_task, load_tasks

META_KEY = "toolgym"  # where a prompt row keeps its task and seed (chat templates ignore it)


@dataclass
class ToolgymGRPOConfig(GRPOConfig):
    """TRL's GRPOConfig plus the environments to roll out in (defaults sized for a 0.5B model
    on one GPU)."""

    model_name_or_path: str = field(default="", metadata={"help": "Model path or cached hub id."})
    tasks: list[str] = field(
        default_factory=list, metadata={"help": "Task dirs, suite dirs or built-in suites."}
    )
    seeds_per_task: int = field(default=1, metadata={"help": "Prompt rows per task (seeds)."})
    env_max_steps: int = field(default=8, metadata={"help": "Environment steps per episode."})
    max_new_tokens_per_turn: int = field(default=256, metadata={"help": "Tokens per turn."})
    rollout_batch_size: int = field(default=64, metadata={"help": "Concurrent episodes."})
    backend: str = field(default="bwrap", metadata={"help": "Sandbox backend."})
    fast_generation: bool | None = field(
        default=None,
        metadata={
            "help": "Rollouts with a static KV cache and compiled decode (default: on CUDA). "
            "Pays a compile per shape bucket once; worth it for long or many rollouts."
        },
    )
    format_reward_weight: float = field(
        default=0.0, metadata={"help": "Shaping: weight of 'every turn parsed as a tool call'."}
    )
    length_penalty_weight: float = field(
        default=0.0, metadata={"help": "Shaping: weight of -(sampled tokens / 1000)."}
    )
    output_dir: str = field(default="runs/grpo", metadata={"help": "Checkpoints and logs."})
    num_generations: int = 8
    learning_rate: float = 1e-6
    beta: float = 0.0
    logging_steps: float = 1
    report_to: Any = "none"


def prompt_rows(tasks: list[Task], seeds_per_task: int) -> list[dict[str, Any]]:
    """One prompt row per (task, seed), carrying the task's first observation."""
    rows = []
    for task in tasks:
        env = make_env(task, backend=get_backend("bwrap"), prewarm=False)
        try:
            for seed in range(seeds_per_task):
                observation = env.first_observation()
                rows.append(
                    {
                        "prompt": [
                            {
                                "role": "user",
                                "content": observation,
                                META_KEY: {"task": str(task.path), "seed": seed},
                            }
                        ]
                    }
                )
        finally:
            env.close()
    return rows


class ToolgymRollout:
    """TRL's ``rollout_func``: runs one episode per prompt with the trainer's current weights."""

    def __init__(self, config: ToolgymGRPOConfig) -> None:
        self.config = config
        self.backend = get_backend(config.backend)
        self._tasks: dict[str, Task] = {}
        self.last_stats: dict[str, float] = {}

    def _task(self, path: str) -> Task:
        if path not in self._tasks:
            self._tasks[path] = load_task(path)
        return self._tasks[path]

    def _policy(self, trainer: GRPOTrainer) -> HFPolicy:
        model = trainer.accelerator.unwrap_model(trainer.model)
        sampling = SamplingConfig(
            max_new_tokens=self.config.max_new_tokens_per_turn,
            temperature=self.config.temperature,
            top_p=self.config.top_p,
            top_k=self.config.top_k or 0,
            batch_size=self.config.rollout_batch_size,
            fast=self.config.fast_generation,
        )
        return HFPolicy(
            model,
            tokenizer=trainer.processing_class,
            sampling=sampling,
            device=str(trainer.accelerator.device),
        )

    def __call__(self, prompts: list[list[dict[str, Any]]], trainer: GRPOTrainer) -> dict:
        jobs = []
        for index, prompt in enumerate(prompts):
            meta = prompt[-1].get(META_KEY)
            if not meta:
                raise ValueError("prompt rows must come from toolgym.trainers.grpo.prompt_rows")
            jobs.append(EpisodeJob(self._task(meta["task"]), sample=index, seed=meta["seed"]))
        results: dict[int, tuple[Any, Any]] = {}
        model = trainer.accelerator.unwrap_model(trainer.model)
        was_training = model.training
        policy = self._policy(trainer)
        engine = RolloutEngine(
            policy,
            lambda task: make_env(
                task, backend=self.backend, max_steps=self.config.env_max_steps, prewarm=False
            ),
            batch_size=self.config.rollout_batch_size,
            token_level=True,
        )
        start = time.monotonic()
        try:
            engine.run(
                jobs,
                lambda job, episode, tokens: results.__setitem__(job.sample, (episode, tokens)),
            )
        finally:
            engine.close()
            model.train(was_training)
        wall = time.monotonic() - start
        out: dict[str, list[Any]] = {
            key: []
            for key in (
                "prompt_ids",
                "completion_ids",
                "logprobs",
                "env_mask",
                "toolgym_reward",
                "toolgym_format",
                "toolgym_sampled_tokens",
            )
        }
        for index in range(len(prompts)):
            episode, tokens = results[index]
            start_of_completion = tokens.turns[0]["prompt_tokens"]
            out["prompt_ids"].append(tokens.ids[:start_of_completion])
            out["completion_ids"].append(tokens.ids[start_of_completion:])
            out["logprobs"].append(tokens.logprobs[start_of_completion:])
            out["env_mask"].append(tokens.mask[start_of_completion:])
            out["toolgym_reward"].append(float(episode.reward))
            called = [
                bool(m.get("tool_calls")) for m in episode.messages if m["role"] == "assistant"
            ]
            out["toolgym_format"].append(sum(called) / max(1, len(called)))
            out["toolgym_sampled_tokens"].append(sum(tokens.mask))
        episodes = [results[i][0] for i in range(len(prompts))]
        self.last_stats = {
            "toolgym/reward_mean": sum(e.reward for e in episodes) / len(episodes),
            "toolgym/pass_rate": sum(e.reward >= 1.0 for e in episodes) / len(episodes),
            "toolgym/turns_mean": sum(e.steps for e in episodes) / len(episodes),
            "toolgym/sampled_tokens_mean": sum(out["toolgym_sampled_tokens"]) / len(episodes),
            "toolgym/generation_seconds": engine.stats.generate_seconds,
            "toolgym/environment_seconds": max(0.0, wall - engine.stats.generate_seconds),
            **{
                f"toolgym/end_{k}": v / len(episodes)
                for k, v in Counter(e.end_reason for e in episodes).items()
            },
        }
        metrics = trainer._metrics["train" if trainer.model.training else "eval"]
        for key, value in self.last_stats.items():
            metrics[key].append(value)
        return out


def verifier_reward(completions: list[Any], toolgym_reward: list[float], **_: Any) -> list[float]:
    """The hidden verifier's reward for each episode (the main reward)."""
    return list(toolgym_reward)


def format_reward(completions: list[Any], toolgym_format: list[float], **_: Any) -> list[float]:
    """Shaping: the share of assistant turns that were well-formed tool calls."""
    return list(toolgym_format)


def length_penalty(
    completions: list[Any], toolgym_sampled_tokens: list[int], **_: Any
) -> list[float]:
    """Shaping: minus the sampled tokens in thousands (prefers shorter solutions)."""
    return [-n / 1000.0 for n in toolgym_sampled_tokens]


def reward_functions(config: ToolgymGRPOConfig) -> tuple[list[Callable[..., Any]], list[float]]:
    funcs, weights = [verifier_reward], [1.0]
    if config.format_reward_weight:
        funcs.append(format_reward)
        weights.append(config.format_reward_weight)
    if config.length_penalty_weight:
        funcs.append(length_penalty)
        weights.append(config.length_penalty_weight)
    return funcs, weights


def build_trainer(
    config: ToolgymGRPOConfig, model: Any = None, tokenizer: Any = None
) -> GRPOTrainer:
    """A GRPOTrainer whose rollouts run in toolgym environments."""
    import datasets

    if not config.tasks:
        raise ValueError("tasks is empty: name task dirs, suites or generated task folders")
    model, tokenizer = load_model_and_tokenizer(config.model_name_or_path, model, tokenizer)
    tokenizer.padding_side = "left"
    tasks = load_tasks(config.tasks)
    dataset = datasets.Dataset.from_list(prompt_rows(tasks, config.seeds_per_task))
    funcs, weights = reward_functions(config)
    config.reward_weights = weights
    return GRPOTrainer(
        model=model,
        reward_funcs=funcs,
        args=config,
        train_dataset=dataset,
        processing_class=tokenizer,
        rollout_func=ToolgymRollout(config),
    )


def train_grpo(config: ToolgymGRPOConfig, model: Any = None, tokenizer: Any = None) -> Path:
    """Train (resuming from ``resume_from_checkpoint`` when set) and save; returns the dir."""
    return train_and_save(build_trainer(config, model, tokenizer))
