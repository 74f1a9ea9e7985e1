"""What both trainers share: loading the model and tokenizer, and training then saving."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_model_and_tokenizer(
    model_name_or_path: str, model: Any = None, tokenizer: Any = None
) -> tuple[Any, Any]:
    """The given model and tokenizer, or both loaded from ``model_name_or_path``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if model is None:
        if not model_name_or_path:
            raise ValueError("model_name_or_path is required (--model_name_or_path)")
        model = AutoModelForCausalLM.from_pretrained(model_name_or_path)
    if tokenizer is None:
        tokenizer = AutoTokenizer.from_pretrained(model_name_or_path or model.name_or_path)
    return model, tokenizer


def train_and_save(trainer: Any) -> Path:
    """Train (resuming from the config's ``resume_from_checkpoint`` when set), then save the
    model and its tokenizer to ``output_dir``; returns that directory."""
    config = trainer.args
    trainer.train(resume_from_checkpoint=config.resume_from_checkpoint)
    trainer.save_model(config.output_dir)
    trainer.processing_class.save_pretrained(config.output_dir)
    return Path(config.output_dir)
