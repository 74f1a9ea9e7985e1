"""Procedural task generators (``toolgym generate``)."""

from __future__ import annotations

from toolgym.generate.base import SPLIT_BASES, Family, GeneratedTask, split_seed, write_task
from toolgym.generate.shell import SHELL_FAMILIES

__all__ = [
    "SHELL_FAMILIES",
    "SPLIT_BASES",
    "Family",
    "GeneratedTask",
    "get_family",
    "split_seed",
    "write_task",
]


def get_family(name: str) -> Family:
    """A shell task family by name."""
    try:
        return SHELL_FAMILIES[name]
    except KeyError:
        raise ValueError(
            f"unknown family {name!r}; choose one of {sorted(SHELL_FAMILIES)}"
        ) from None
