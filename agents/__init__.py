"""Agents and policies (``toolgym.agents``).

``oracle`` and ``null`` are scripted; ``hf`` runs a local transformers model (``toolgym[hf]``);
``openai`` calls any OpenAI-compatible chat completions server.
"""

from __future__ import annotations

from typing import Any

from toolgym.agents.base import AssistantMessage, Message, Policy, PolicyRequest
from toolgym.agents.scripted import HackerPolicy, NullPolicy, OraclePolicy

AGENTS = ("oracle", "null", "hacker", "hf", "openai")

__all__ = [
    "AGENTS",
    "AssistantMessage",
    "HackerPolicy",
    "Message",
    "NullPolicy",
    "OraclePolicy",
    "Policy",
    "PolicyRequest",
    "make_policy",
]


def make_policy(
    name: str,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    temperature: float = 1.0,
    top_p: float = 1.0,
    max_new_tokens: int = 1024,
    batch_size: int = 64,
    concurrency: int = 16,
    seed: int | None = None,
) -> Policy:
    """A policy by name, with the options that apply to it."""
    if name == "oracle":
        return OraclePolicy()
    if name == "null":
        return NullPolicy()
    if name == "hacker":
        return HackerPolicy()
    if name == "hf":
        if not model:
            raise ValueError("--agent hf needs --model (a local path or a cached hub id)")
        from toolgym.agents.hf import HFPolicy, SamplingConfig

        sampling = SamplingConfig(
            max_new_tokens=max_new_tokens,
            temperature=temperature,
            top_p=top_p,
            batch_size=batch_size,
        )
        return HFPolicy(model, sampling=sampling, seed=seed)
    if name == "openai":
        if not base_url or not model:
            raise ValueError("--agent openai needs --base-url and --model")
        from toolgym.agents.openai_api import OpenAIConfig, OpenAIPolicy

        options: dict[str, Any] = {
            "base_url": base_url,
            "model": model,
            "api_key_env": api_key_env,
            "temperature": temperature,
            "top_p": top_p,
            "max_tokens": max_new_tokens,
            "concurrency": concurrency,
        }
        return OpenAIPolicy(OpenAIConfig(**options))
    raise ValueError(f"unknown agent {name!r}; choose one of {', '.join(AGENTS)}")
