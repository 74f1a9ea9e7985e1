"""Small models built offline, for tests and CPU smoke runs (nothing is downloaded).

:func:`tiny_model` trains a byte-level BPE tokenizer with ``tokenizers`` on a synthetic corpus
of shell commands, JSON tool calls and prose, gives it a chat template with tool calling (see
:mod:`toolgym.chat_templates`), and saves a randomly initialised small Qwen2-shaped causal LM
next to it. The result is cached on disk by its settings, so it is built once per machine;
everything is seeded, so every machine builds the same files.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import shutil
import uuid
from pathlib import Path

from toolgym.chat_templates import TEMPLATES
from toolgym.sandbox.base import default_cache_dir

TINY_MODEL_VERSION = "v1"
_WORDS = [
    "the",
    "file",
    "list",
    "count",
    "lines",
    "error",
    "log",
    "user",
    "task",
    "run",
    "bash",
    "submit",
    "command",
    "output",
    "directory",
    "json",
    "csv",
    "awk",
    "sed",
    "grep",
    "sort",
    "uniq",
    "find",
    "xargs",
    "git",
    "commit",
    "branch",
    "merge",
    "tar",
    "zip",
    "make",
    "build",
    "script",
    "python",
    "print",
    "value",
    "name",
    "path",
    "size",
    "time",
    "date",
    "report",
    "total",
    "mean",
    "max",
    "min",
    "read",
    "write",
    "open",
    "close",
    "test",
    "pass",
    "fail",
    "fix",
    "bug",
    "check",
    "result",
    "answer",
    "search",
    "document",
    "title",
    "page",
]
_COMMANDS = [
    "ls -la",
    "cat /app/data.txt",
    "grep -c ERROR app.log",
    "wc -l < file.txt",
    "sort -n numbers.txt | uniq -c",
    "awk -F, '{print $2}' data.csv",
    "find . -name '*.py'",
    "git log --oneline",
    "sed -i 's/foo/bar/g' config.ini",
    "python3 -c 'print(42)'",
    "echo hello > /app/out.txt",
    "tar -czf backup.tar.gz dir/",
    "jq '.items[].name' in.json",
]


def _corpus(seed: int = 0, lines: int = 4000) -> list[str]:
    """Deterministic training text that exercises the markup the templates produce."""
    rng = random.Random(seed)
    out = []
    for _ in range(lines):
        kind = rng.random()
        if kind < 0.4:
            out.append(" ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 16))) + ".")
        elif kind < 0.7:
            call = {"name": "bash", "arguments": {"command": rng.choice(_COMMANDS)}}
            out.append(f"<tool_call>\n{json.dumps(call)}\n</tool_call>")
        elif kind < 0.85:
            out.append(f"{rng.choice(_WORDS)}_{rng.randint(0, 999)}.txt {rng.randint(0, 99999)}")
        else:
            out.append(json.dumps({rng.choice(_WORDS): rng.randint(0, 1000) for _ in range(3)}))
    return out


def build_tokenizer(template: str = "chatml", vocab_size: int = 2048):  # type: ignore[no-untyped-def]
    """A fast tokenizer with ``template``'s special tokens and chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    spec = TEMPLATES[template]
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=spec["special_tokens"] + spec["added_tokens"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(_corpus(), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token=spec["eos_token"],
        pad_token=spec["pad_token"],
        additional_special_tokens=spec["special_tokens"],
        padding_side="left",
        model_max_length=4096,
    )
    fast.chat_template = spec["template"]
    return fast


def tiny_model(
    template: str = "chatml",
    hidden_size: int = 64,
    layers: int = 2,
    cache_dir: Path | str | None = None,
) -> Path:
    """The directory of a tiny random model + tokenizer (built on first use, then cached)."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; choose one of {sorted(TEMPLATES)}")
    root = Path(cache_dir) if cache_dir else default_cache_dir() / "tiny-models"
    final = root / f"{template}-h{hidden_size}-l{layers}-{TINY_MODEL_VERSION}"
    if (final / "config.json").exists():
        return final
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f"{final.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (final / "config.json").exists():
            return final
        tmp = root / f"{final.name}.tmp-{uuid.uuid4().hex[:8]}"
        try:
            _build_model(tmp, template, hidden_size, layers)
            os.replace(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def _build_model(out: Path, template: str, hidden_size: int, layers: int) -> None:
    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    tokenizer = build_tokenizer(template)
    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=hidden_size * 2,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = Qwen2ForCausalLM(config)
    model.generation_config = GenerationConfig(
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id
    )
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
