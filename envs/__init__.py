"""Environments (``toolgym.envs``), registered with Gymnasium under the ``toolgym/`` namespace.

``import toolgym`` registers them; ``gym.make("toolgym:toolgym/Shell-v0", task=...)`` imports
toolgym on the fly.
"""

from __future__ import annotations

import gymnasium as gym
from toolgym.envs.base import ToolEnv, ToolOutput, ToolResult, ToolText
from toolgym.envs.shell import ShellEnv

ENVIRONMENTS = {
    "toolgym/Shell-v0": "toolgym.envs.shell:ShellEnv",
}

__all__ = [
    "ENVIRONMENTS",
    "ShellEnv",
    "ToolEnv",
    "ToolOutput",
    "ToolResult",
    "ToolText",
    "register_envs",
]


def register_envs() -> None:
    """Register every built-in environment with Gymnasium (idempotent)."""
    for env_id, entry_point in ENVIRONMENTS.items():
        if env_id not in gym.registry:
            # No step limit from Gymnasium: the environment owns its budgets and reports them.
            gym.register(id=env_id, entry_point=entry_point, disable_env_checker=False)
