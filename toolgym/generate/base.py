"""Procedural task families: parameterised generators that write Harbor task directories.

A family turns a seeded ``random.Random`` into a :class:`GeneratedTask` (instruction, starting
files, reference solution, and the expected state as declarative checks, see ``checker.py``).
The same family, split and seed always give byte-identical directories. Splits map to disjoint
seed ranges, so a model trained on ``train`` tasks never sees a ``test`` task's data.
"""

from __future__ import annotations

import json
import random
import shutil
import textwrap
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

SPLIT_BASES = {"train": 0, "test": 1_000_000_000}
SPLIT_SIZE = 1_000_000_000
CHECKER = Path(__file__).with_name("checker.py")
TEST_SH = """\
#!/bin/bash
# Hidden verifier: declarative state checks from expected.json.
if python3 /tests/check.py /tests/expected.json; then
    echo 1 > /logs/verifier/reward.txt
else
    echo 0 > /logs/verifier/reward.txt
fi
"""


def split_seed(split: str, seed: int) -> int:
    """The generator seed for ``seed`` within ``split`` (splits never share a seed)."""
    if split not in SPLIT_BASES:
        raise ValueError(f"unknown split {split!r}; choose one of {sorted(SPLIT_BASES)}")
    if not 0 <= seed < SPLIT_SIZE:
        raise ValueError(f"seed must be in [0, {SPLIT_SIZE}), got {seed}")
    return SPLIT_BASES[split] + seed


@dataclass
class GeneratedTask:
    """Everything a task directory holds, before it is written."""

    instruction: str
    files: dict[str, str | bytes]  # build context next to the Dockerfile
    dockerfile: str
    solution: str  # solution/solve.sh
    checks: list[dict[str, Any]]
    difficulty: str = "easy"
    tags: list[str] = field(default_factory=list)
    test_files: dict[str, str | bytes] = field(default_factory=dict)  # extra hidden inputs
    agent_timeout: float = 300.0
    verifier_timeout: float = 60.0


class Family(ABC):
    """A parameterised task family."""

    name: ClassVar[str]
    category: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def build(self, rng: random.Random) -> GeneratedTask:
        """Draw one task from ``rng`` (the only source of randomness allowed)."""

    def generate(self, split: str, seed: int) -> GeneratedTask:
        return self.build(random.Random(split_seed(split, seed)))

    def task_name(self, split: str, seed: int) -> str:
        return f"{self.name}-{split}-{seed:06d}"


def dockerfile(body: str, packages: tuple[str, ...] = ()) -> str:
    """A generated task's Dockerfile: Debian, python3 (the hidden checker runs on it) plus
    ``packages``, the /app workdir, then ``body``. The apt line keeps the task buildable by
    the docker backend; the local backend checks the host has the packages."""
    names = " ".join(dict.fromkeys(("python3", *packages)))
    return (
        "FROM debian:bookworm-slim\n"
        f"RUN apt-get update && apt-get install -y --no-install-recommends {names} \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "WORKDIR /app\n" + textwrap.dedent(body).lstrip()
    )


def _write(path: Path, content: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    path.chmod(mode)


def write_task(family: Family, split: str, seed: int, out_dir: Path) -> Path:
    """Write one generated task directory (replacing an older one of the same name)."""
    task = family.generate(split, seed)
    root = out_dir / family.task_name(split, seed)
    if root.exists():
        shutil.rmtree(root)
    toml = (
        'version = "1.0"\n\n[metadata]\nauthor_name = "toolgym generator"\n'
        f'difficulty = "{task.difficulty}"\ncategory = "{family.category}"\n'
        f"tags = {json.dumps(['generated', family.name, *task.tags])}\n"
        f'family = "{family.name}"\nsplit = "{split}"\nseed = {seed}\n\n'
        f"[verifier]\ntimeout_sec = {task.verifier_timeout}\n\n"
        f"[agent]\ntimeout_sec = {task.agent_timeout}\n"
    )
    _write(root / "task.toml", toml)
    _write(root / "instruction.md", task.instruction.strip() + "\n")
    _write(root / "environment" / "Dockerfile", task.dockerfile)
    for rel, content in sorted(task.files.items()):
        _write(root / "environment" / rel, content)
    _write(root / "solution" / "solve.sh", task.solution, 0o755)
    _write(root / "tests" / "test.sh", TEST_SH, 0o755)
    _write(root / "tests" / "check.py", CHECKER.read_text(encoding="utf-8"))
    expected = json.dumps({"checks": task.checks}, indent=1, sort_keys=True) + "\n"
    _write(root / "tests" / "expected.json", expected)
    for rel, content in sorted(task.test_files.items()):
        _write(root / "tests" / rel, content)
    return root
