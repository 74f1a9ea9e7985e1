"""``toolgym train sft``: rejection-sampling fine-tuning (expert iteration) with TRL's SFTTrainer.

Verified episodes (reward at or above ``min_reward``) from ``toolgym eval`` trajectory files are
rendered with the model's chat template, including the tool schemas the agent was given, and
trained on with the loss on the assistant's tokens only (see :mod:`toolgym.trainers.data`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgym.trainers.common import load_model_and_tokenizer, train_and_save
from toolgym.trainers.data import load_verified, sft_examples
from trl import SFTConfig, SFTTrainer


@dataclass
class ToolgymSFTConfig(SFTConfig):
    """TRL's SFTConfig plus where the demonstrations come from."""

    model_name_or_path: str = field(default="", metadata={"help": "Model path or cached hub id."})
    trajectories: list[str] = field(
        default_factory=list, metadata={"help": "trajectories.jsonl files from `toolgym eval`."}
    )
    min_reward: float = field(default=1.0, metadata={"help": "Keep episodes with this reward."})
    max_length: int | None = field(default=4096, metadata={"help": "Longer episodes are cut."})
    output_dir: str = field(default="runs/sft", metadata={"help": "Checkpoints and final model."})


def build_dataset(config: ToolgymSFTConfig, tokenizer: Any) -> Any:
    """The pre-tokenized dataset: ``input_ids`` and ``assistant_masks`` per verified episode."""
    import datasets

    records = load_verified(config.trajectories, config.min_reward)
    if not records:
        raise ValueError(
            f"no episode in {config.trajectories} has reward >= {config.min_reward}: "
            "nothing to fine-tune on"
        )
    examples = sft_examples(records, tokenizer)
    return datasets.Dataset.from_dict(
        {
            "input_ids": [e.input_ids for e in examples],
            "assistant_masks": [e.assistant_masks for e in examples],
        }
    )


def build_sft_trainer(
    config: ToolgymSFTConfig, model: Any = None, tokenizer: Any = None
) -> SFTTrainer:
    """An SFTTrainer over the verified episodes of ``config.trajectories``."""
    model, tokenizer = load_model_and_tokenizer(config.model_name_or_path, model, tokenizer)
    return SFTTrainer(
        model=model,
        args=config,
        train_dataset=build_dataset(config, tokenizer),
        processing_class=tokenizer,
    )


def train_sft(config: ToolgymSFTConfig, model: Any = None, tokenizer: Any = None) -> Path:
    """Fine-tune and save the model; returns the output directory."""
    return train_and_save(build_sft_trainer(config, model, tokenizer))
