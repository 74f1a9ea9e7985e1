"""``HFPolicy``: a transformers causal LM generating for many conversations in one batch.

Prompts are rendered with the tokenizer's chat template (tools passed as ``tools=``), left-
padded into one batch, and sampled until each sequence emits an end-of-turn token. The policy
returns the text and, for exact token accounting, the generated token ids and their
log-probabilities under the model (temperature 1, before top-p/top-k filtering), which is what
policy-gradient trainers need.

Needs the ``hf`` extra (torch, transformers). Runs on CUDA when present, else on the CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgym.agents.base import AssistantMessage, Message, Policy, PolicyRequest


@dataclass
class SamplingConfig:
    """How to sample. ``temperature=0`` means greedy decoding."""

    max_new_tokens: int = 512
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    batch_size: int = 64  # conversations per forward pass


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

    def _generate_batch(self, prompts: list[list[int]]) -> list[Completion]:
        torch = self.torch
        pad = self.tokenizer.pad_token_id
        width = max(len(p) for p in prompts)
        input_ids = torch.full((len(prompts), width), pad, dtype=torch.long)
        attention = torch.zeros((len(prompts), width), dtype=torch.long)
        for row, prompt in enumerate(prompts):  # left padding: generation continues at the end
            input_ids[row, width - len(prompt) :] = torch.tensor(prompt, dtype=torch.long)
            attention[row, width - len(prompt) :] = 1
        sampling = self.sampling
        greedy = sampling.temperature <= 0
        kwargs: dict[str, Any] = {
            "max_new_tokens": sampling.max_new_tokens,
            "do_sample": not greedy,
            "eos_token_id": self.end_of_turn_ids,
            "pad_token_id": pad,
            "return_dict_in_generate": True,
            "output_logits": True,
        }
        if not greedy:
            kwargs.update(
                temperature=sampling.temperature, top_p=sampling.top_p, top_k=sampling.top_k or None
            )
        training = self.model.training
        self.model.eval()  # no dropout while sampling; a trainer's model goes back to training
        try:
            with torch.inference_mode():
                result = self.model.generate(
                    input_ids=input_ids.to(self.device),
                    attention_mask=attention.to(self.device),
                    use_cache=True,  # even when training uses gradient checkpointing
                    **kwargs,
                )
        finally:
            self.model.train(training)
        new_tokens = result.sequences[:, width:].tolist()
        logits = torch.stack(result.logits, dim=1).float()  # (batch, steps, vocab)
        logprobs = torch.log_softmax(logits, dim=-1)
        completions = []
        for row, tokens in enumerate(new_tokens):
            end = next((i + 1 for i, t in enumerate(tokens) if t in self.end_of_turn_ids), None)
            kept = tokens[:end] if end else [t for t in tokens if t != pad]
            scores = logprobs[row, torch.arange(len(kept)), torch.tensor(kept)].tolist()
            completions.append(
                Completion(
                    token_ids=kept,
                    logprobs=scores,
                    text=self.decode(kept),
                    finish_reason="stop" if end else "length",
                )
            )
        return completions
