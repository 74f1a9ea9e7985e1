"""Shared fixtures: a private template cache and a factory for small task directories."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from toolgym.sandbox.bwrap import BwrapBackend

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")

PASS_IF_OUT_IS_HELLO = """\
#!/bin/bash
if [ "$(cat /app/out.txt 2>/dev/null)" = hello ]; then r=1; else r=0; fi
echo $r > /logs/verifier/reward.txt
"""


def write_task(
    root: Path,
    name: str = "demo",
    *,
    toml: str = '[metadata]\ncategory = "test"\ndifficulty = "easy"\n[verifier]\n'
    "timeout_sec = 20\n[agent]\ntimeout_sec = 60\n",
    instruction: str = "Write hello to /app/out.txt.",
    dockerfile: str = "FROM debian:bookworm-slim\nWORKDIR /app\n",
    context: dict[str, str] | None = None,
    solve: str = "echo hello > /app/out.txt\n",
    test: str = PASS_IF_OUT_IS_HELLO,
    test_files: dict[str, str] | None = None,
) -> Path:
    """Write a Harbor task directory and return its path."""
    path = root / name
    (path / "environment").mkdir(parents=True)
    (path / "solution").mkdir()
    (path / "tests").mkdir()
    (path / "task.toml").write_text(toml)
    (path / "instruction.md").write_text(instruction)
    (path / "environment" / "Dockerfile").write_text(textwrap.dedent(dockerfile))
    for rel, content in (context or {}).items():
        (path / "environment" / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / "environment" / rel).write_text(content)
    (path / "solution" / "solve.sh").write_text(solve)
    (path / "tests" / "test.sh").write_text(test)
    for rel, content in (test_files or {}).items():
        (path / "tests" / rel).write_text(content)
    return path


@pytest.fixture
def make_task(tmp_path: Path) -> Callable[..., Path]:
    def factory(name: str = "demo", **kwargs: object) -> Path:
        return write_task(tmp_path / "suite", name, **kwargs)  # type: ignore[arg-type]

    return factory


@pytest.fixture
def no_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every backend lookup finds none, as where bubblewrap is missing."""
    for where in ("toolgym.sandbox", "toolgym.cli"):
        monkeypatch.setattr(f"{where}.get_backend", lambda name: None)


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> BwrapBackend:
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap not installed")
    instance = BwrapBackend(cache_dir=tmp_path_factory.mktemp("toolgym-cache"))
    yield instance
    instance.close()
