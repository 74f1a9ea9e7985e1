"""toolgym: agentic tool-use environments for reinforcement learning with verifiable rewards.

Importing the package registers its Gymnasium environments (``toolgym/Shell-v0``, ...).
"""

__version__ = "0.1.0"

from toolgym.envs import register_envs as _register_envs

_register_envs()
