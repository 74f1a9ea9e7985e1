"""Read the reward a verifier wrote, strictly.

The verifier writes ``/logs/verifier/reward.txt`` (one number) or ``reward.json`` (named
numbers). The directory is created fresh for each verifier run, outside anything the agent could
touch; here its content is parsed without trust: regular files only (no links), small, one
finite number in [0, 1] per reward. Anything else is reward 0 with the reason recorded, so a
broken or tampered channel can never raise a score.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgym.sandbox.base import VerifierRun

MAX_REWARD_FILE_BYTES = 64 * 1024
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class VerifierResult:
    """The outcome of grading one episode."""

    reward: float
    rewards: dict[str, float] = field(default_factory=dict)
    reason: str | None = None  # why the reward is 0 when the channel was unusable
    exit_code: int | None = None
    duration: float = 0.0
    timed_out: bool = False
    output: str = ""

    def to_info(self) -> dict[str, Any]:
        return {
            "reward": self.reward,
            "rewards": self.rewards,
            "reason": self.reason,
            "exit_code": self.exit_code,
            "duration": round(self.duration, 4),
            "timed_out": self.timed_out,
            "output": self.output[-4000:],
        }


class RewardFileError(ValueError):
    """A reward file that is missing, unreadable or malformed."""


def _read_small_regular_file(path: Path) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RewardFileError(f"{path.name}: cannot open ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RewardFileError(f"{path.name}: not a regular file")
        if info.st_size > MAX_REWARD_FILE_BYTES:
            raise RewardFileError(f"{path.name}: larger than {MAX_REWARD_FILE_BYTES} bytes")
        data = os.read(fd, MAX_REWARD_FILE_BYTES + 1)
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise RewardFileError(f"{path.name}: not UTF-8 text") from None


def parse_reward_value(value: Any, where: str) -> float:
    """One reward: a finite number in [0, 1] (``true``/``false`` and NaN are refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RewardFileError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, str):
        if not _NUMBER.match(value.strip()):
            raise RewardFileError(f"{where}: expected a number, got {value.strip()[:40]!r}")
        value = float(value)
    number = float(value)
    if not math.isfinite(number):
        raise RewardFileError(f"{where}: reward must be finite, got {number}")
    if not 0.0 <= number <= 1.0:
        raise RewardFileError(f"{where}: reward {number} is outside [0, 1]")
    return number


def read_reward(logs_dir: Path, reward_key: str | None = None) -> tuple[float, dict[str, float]]:
    """The main reward and all named rewards from a fresh ``/logs/verifier`` directory."""
    text = _read_small_regular_file(logs_dir / "reward.txt")
    if text is not None:
        reward = parse_reward_value(text, "reward.txt")
        return reward, {"reward": reward}
    text = _read_small_regular_file(logs_dir / "reward.json")
    if text is None:
        raise RewardFileError("the verifier wrote neither reward.txt nor reward.json")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RewardFileError(f"reward.json: invalid JSON ({exc})") from None
    if not isinstance(data, dict) or not data:
        raise RewardFileError("reward.json: expected a non-empty object of named numbers")
    rewards = {str(k): parse_reward_value(v, f"reward.json[{k!r}]") for k, v in data.items()}
    if reward_key is not None:
        if reward_key not in rewards:
            raise RewardFileError(f"reward.json: has no key {reward_key!r} ([verifier].reward_key)")
        return rewards[reward_key], rewards
    if "reward" in rewards:
        return rewards["reward"], rewards
    if len(rewards) == 1:
        return next(iter(rewards.values())), rewards
    raise RewardFileError(
        f"reward.json: several rewards {sorted(rewards)} and no main one; name it with "
        "[verifier] reward_key in task.toml or call it 'reward'"
    )


def grade(run: VerifierRun, timeout: float, reward_key: str | None = None) -> VerifierResult:
    """Turn a verifier run into a reward, recording why when it is zero by default."""
    result = run.result
    base = {
        "exit_code": result.exit_code,
        "duration": result.duration,
        "timed_out": result.timed_out,
        "output": result.output,
    }
    if result.timed_out:
        return VerifierResult(0.0, reason=f"verifier timed out after {timeout:g}s", **base)
    try:
        reward, rewards = read_reward(run.logs_dir, reward_key)
    except RewardFileError as exc:
        return VerifierResult(0.0, reason=str(exc), **base)
    return VerifierResult(reward, rewards, **base)
