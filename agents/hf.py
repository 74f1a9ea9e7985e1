"""``HFPolicy``: a transformers causal LM generating for many conversations in one batch.

Prompts are rendered with the tokenizer's chat template (tools passed as ``tools=``), left-
padded into one batch, and sampled until each sequence emits an end-of-turn token. The policy
returns the text and, for exact token accounting, the generated token ids and their
log-probabilities under the model (temperature 1, before top-p/top-k filtering), which is what
policy-gradient trainers need.

Needs the ``hf`` extra (torch, transformers). Runs on CUDA when present, else on the CPU.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgym.agents.base import AssistantMessage, Message, Policy, PolicyRequest


@dataclass
class SamplingConfig:
    """How to sample, and how to run the model. ``temperature=0`` means greedy decoding."""

    max_new_tokens: int = 512
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    batch_size: int = 64  # conversations per forward pass
    logprobs: bool = True  # score the sampled tokens (one extra forward pass per batch)
    # The fast path: a static KV cache and a compiled decode step, on CUDA by default (None).
    # Prompt lengths and batch sizes are rounded up to buckets, so a multi-turn run reuses a
    # few compiled graphs instead of compiling one per shape.
    fast: bool | None = None
    prompt_buckets: tuple[int, ...] = (128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)
    batch_buckets: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
    compile_backend: str = "inductor"
    compile_mode: str | None = "reduce-overhead"


class _VocabularyMask:
    """A logits processor that rules out ids at or past ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        scores[:, self.size :] = float("-inf")
        return scores


def bucket(value: int, buckets: tuple[int, ...]) -> int:
    """The smallest bucket that holds ``value`` (or ``value`` itself past the last one)."""
    return next((b for b in sorted(buckets) if b >= value), value)


@dataclass
class Completion:
    """One generated turn: token ids (ending with the end-of-turn token when one was
    generated), their log-probabilities, the decoded text, and why generation stopped."""

    token_ids: list[int]
    logprobs: list[float]
    text: str
    finish_reason: str  # "stop" (end of turn) or "length" (max_new_tokens)
    meta: dict[str, Any] = field(default_factory=dict)


class HFPolicy(Policy):
    """A local transformers model (a path or a hub id already in the local cache)."""

    name = "hf"

    def __init__(
        self,
        model: str | Path | Any,
        tokenizer: Any | None = None,
        sampling: SamplingConfig | None = None,
        device: str | None = None,
        dtype: str | None = None,
        seed: int | None = None,
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        self.sampling = sampling or SamplingConfig()
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        if isinstance(model, str | Path):
            torch_dtype = (
                getattr(torch, dtype)
                if dtype
                else (torch.bfloat16 if self.device.startswith("cuda") else torch.float32)
            )
            self.model = AutoModelForCausalLM.from_pretrained(str(model), dtype=torch_dtype)
            self.model_name = str(model)
            self.model.to(self.device)
            self.model.eval()
        else:  # a live model (a trainer's): used as it is, its weights shared, never moved
            self.model = model
            self.model_name = getattr(model, "name_or_path", type(model).__name__)
        self.tokenizer = tokenizer or AutoTokenizer.from_pretrained(self.model_name)
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.end_of_turn_ids = self._end_of_turn_ids()
        self.compiled_shapes: dict[tuple[int, int], float] = {}  # (batch, prompt) -> first call s
        # Embedding tables are often padded past the tokenizer (Qwen: 151936 rows for 151665
        # tokens); never sample an id the tokenizer cannot decode.
        vocabulary = len(self.tokenizer)
        rows = self.model.get_output_embeddings().weight.shape[0]
        self.vocabulary_mask = _VocabularyMask(vocabulary) if rows > vocabulary else None
        if seed is not None:
            torch.manual_seed(seed)

    def _end_of_turn_ids(self) -> list[int]:
        ids = {self.tokenizer.eos_token_id}
        configured = getattr(self.model.generation_config, "eos_token_id", None)
        if isinstance(configured, int):
            ids.add(configured)
        elif configured:
            ids.update(configured)
        return sorted(i for i in ids if i is not None)

    # -- rendering -------------------------------------------------------------------------
    def render(self, messages: list[Message], tools: list[dict[str, Any]] | None) -> str:
        """The prompt text for the next assistant turn."""
        return self.tokenizer.apply_chat_template(
            messages, tools=tools or None, add_generation_prompt=True, tokenize=False
        )

    def encode(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def decode(self, token_ids: list[int]) -> str:
        """Text of generated tokens; the end-of-turn token itself is not part of the text."""
        ids = [t for t in token_ids if t not in self.end_of_turn_ids]
        return self.tokenizer.decode(ids, skip_special_tokens=False)

    # -- generation ------------------------------------------------------------------------
    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        prompts = [self.encode(self.render(r.messages, r.tools)) for r in requests]
        return [
            AssistantMessage(
                content=c.text,
                token_ids=c.token_ids,
                logprobs=c.logprobs,
                meta={"finish_reason": c.finish_reason, "prompt_tokens": len(p)},
            )
            for p, c in zip(prompts, self.generate_ids(prompts), strict=True)
        ]

    def generate_ids(self, prompts: list[list[int]]) -> list[Completion]:
        """Complete each prompt (token ids), ``batch_size`` prompts per forward pass."""
        size = max(1, self.sampling.batch_size)
        out: list[Completion] = []
        for start in range(0, len(prompts), size):
            out.extend(self._generate_batch(prompts[start : start + size]))
        return out

    @property
    def fast(self) -> bool:
        fast = self.sampling.fast
        return self.device.startswith("cuda") if fast is None else fast

    def _generate_batch(self, prompts: list[list[int]]) -> list[Completion]:
        torch = self.torch
        pad = self.tokenizer.pad_token_id
        sampling = self.sampling
        rows = len(prompts)
        width = max(len(p) for p in prompts)
        if self.fast:  # fixed shapes: the static cache and compiled graphs are reused
            width = bucket(width, sampling.prompt_buckets)
            rows = bucket(rows, sampling.batch_buckets)
        padded = prompts + [prompts[0]] * (rows - len(prompts))  # filler rows, dropped after
        input_ids = torch.full((rows, width), pad, dtype=torch.long)
        attention = torch.zeros((rows, width), dtype=torch.long)
        for row, prompt in enumerate(padded):  # left padding: generation continues at the end
            input_ids[row, width - len(prompt) :] = torch.tensor(prompt, dtype=torch.long)
            attention[row, width - len(prompt) :] = 1
        greedy = sampling.temperature <= 0
        kwargs: dict[str, Any] = {
            "max_new_tokens": sampling.max_new_tokens,
            "do_sample": not greedy,
            "eos_token_id": self.end_of_turn_ids,
            "pad_token_id": pad,
        }
        if not greedy:
            kwargs.update(
                temperature=sampling.temperature, top_p=sampling.top_p, top_k=sampling.top_k or None
            )
        if self.fast:
            kwargs.update(cache_implementation="static", compile_config=self._compile_config())
        if self.vocabulary_mask is not None:
            kwargs["logits_processor"] = [self.vocabulary_mask]
        shape = (rows, width)
        started = time.monotonic()
        training = self.model.training
        self.model.eval()  # no dropout while sampling; a trainer's model goes back to training
        try:
            with torch.inference_mode():
                sequences = self.model.generate(
                    input_ids=input_ids.to(self.device),
                    attention_mask=attention.to(self.device),
                    use_cache=True,  # even when training uses gradient checkpointing
                    **kwargs,
                )
        finally:
            self.model.train(training)
        if self.fast and shape not in self.compiled_shapes:
            self.compiled_shapes[shape] = time.monotonic() - started  # includes compiling
        new_tokens = sequences[: len(prompts), width:].tolist()
        kept_tokens, reasons = [], []
        for tokens in new_tokens:
            end = next((i + 1 for i, t in enumerate(tokens) if t in self.end_of_turn_ids), None)
            kept_tokens.append(tokens[:end] if end else [t for t in tokens if t != pad])
            reasons.append("stop" if end else "length")
        scores = (
            self._score(prompts, kept_tokens) if sampling.logprobs else [[] for _ in kept_tokens]
        )
        return [
            Completion(token_ids=kept, logprobs=score, text=self.decode(kept), finish_reason=reason)
            for kept, score, reason in zip(kept_tokens, scores, reasons, strict=True)
        ]

    def _compile_config(self) -> Any:
        from transformers import CompileConfig

        config = CompileConfig(
            fullgraph=True, backend=self.sampling.compile_backend, mode=self.sampling.compile_mode
        )
        if not self.device.startswith("cuda"):
            config._compile_all_devices = True  # compile on the CPU only when asked for
        return config

    def _score(self, prompts: list[list[int]], completions: list[list[int]]) -> list[list[float]]:
        """Log-probabilities of the completions' tokens under the model (temperature 1).

        One forward pass over prompt + completion instead of keeping every step's logits
        (batch x steps x vocabulary floats, gigabytes for a real vocabulary).
        """
        torch = self.torch
        pad = self.tokenizer.pad_token_id
        out: list[list[float]] = []
        size = max(1, self.sampling.batch_size)
        training = self.model.training
        self.model.eval()
        try:
            for start in range(0, len(prompts), size):
                chunk = list(
                    zip(
                        prompts[start : start + size],
                        completions[start : start + size],
                        strict=True,
                    )
                )
                width = max(len(p) + len(c) for p, c in chunk)
                ids = torch.full((len(chunk), width), pad, dtype=torch.long)
                mask = torch.zeros((len(chunk), width), dtype=torch.long)
                for row, (prompt, completion) in enumerate(chunk):
                    sequence = prompt + completion
                    ids[row, width - len(sequence) :] = torch.tensor(sequence, dtype=torch.long)
                    mask[row, width - len(sequence) :] = 1
                with torch.inference_mode():
                    logits = self.model(
                        input_ids=ids.to(self.device), attention_mask=mask.to(self.device)
                    ).logits
                for row, (_prompt, completion) in enumerate(chunk):
                    if not completion:
                        out.append([])
                        continue
                    n = len(completion)
                    # the logits at position i predict token i + 1
                    rows = logits[row, width - n - 1 : width - 1].float()
                    picked = torch.tensor(completion, device=rows.device)
                    logps = torch.log_softmax(rows, dim=-1)[torch.arange(n), picked]
                    out.append(logps.tolist())
        finally:
            self.model.train(training)
        return out
