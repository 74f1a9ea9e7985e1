"""Agents and policies (``toolgym.agents``)."""

from __future__ import annotations

from toolgym.agents.base import AssistantMessage, Message, Policy, PolicyRequest
from toolgym.agents.scripted import NullPolicy, OraclePolicy

POLICIES: dict[str, type[Policy]] = {"oracle": OraclePolicy, "null": NullPolicy}

__all__ = [
    "POLICIES",
    "AssistantMessage",
    "Message",
    "NullPolicy",
    "OraclePolicy",
    "Policy",
    "PolicyRequest",
    "make_policy",
]


def make_policy(name: str, **options: object) -> Policy:
    """A policy by name (``oracle``, ``null``, ...)."""
    try:
        factory = POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown agent {name!r}; choose one of {sorted(POLICIES)}") from None
    return factory(**options)
