"""``toolgym new``: a task skeleton fails the gate until filled in; an environment package
installs as a plugin that gym.make, ``toolgym eval`` and its own conformance test accept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from toolgym.check import check_task
from toolgym.scaffold import ScaffoldError, env_package_files, new_task, unfilled_markers
from toolgym.task import SCAFFOLD_MARKER, load_task

BIN = Path(sys.executable).parent


def test_new_shell_task_fails_the_gate_until_filled_in(tmp_path: Path) -> None:
    root = new_task("count-errors", "shell", tmp_path / "count-errors")
    load_task(root)  # a skeleton is a loadable task: only its content is missing
    result = check_task(root)
    assert not result.passed
    assert not result.rewards, "placeholders must stop the gate before any agent runs"
    problems = "\n".join(result.problems)
    for relative in ("instruction.md", "task.toml", "solution/solve.sh", "tests/check.py"):
        assert f"{root / relative}:" in problems, problems
    assert "fill in" in problems

    # Fill it in the way the skeleton suggests.
    for relative in ("task.toml", "instruction.md", "environment/Dockerfile"):
        path = root / relative
        lines = path.read_text().splitlines()
        path.write_text(
            "\n".join(
                line.replace(f"{SCAFFOLD_MARKER}: your name", "me").replace(
                    f"{SCAFFOLD_MARKER}: one word or two, e.g. text-processing", "text"
                )
                for line in lines
                if not (SCAFFOLD_MARKER in line and relative != "task.toml")
            )
            + "\n"
        )
    (root / "solution/solve.sh").write_text(
        "#!/bin/bash\ngrep -c ERROR /app/data.txt > /app/answer.txt\n"
    )
    (root / "tests/check.py").write_text(
        "import sys\n"
        "try:\n    got = open('/app/answer.txt').read().strip()\n"
        "except FileNotFoundError:\n    got = None\n"
        "sys.exit(0 if got == '2' else f'expected 2, got {got!r}')\n"
    )
    assert unfilled_markers(root) == []
    result = check_task(root)
    assert result.passed, result.problems
    assert result.rewards == {"oracle": 1.0, "null": 0.0, "hacker": 0.0}


def test_new_search_task_names_what_is_missing(tmp_path: Path) -> None:
    root = new_task("q1", "search", tmp_path / "q1")
    problems = "\n".join(check_task(root).problems)
    assert "[search]" not in problems or "answers" in problems
    assert "the short answer" in problems and "instruction.md:1" in problems


@pytest.mark.parametrize(
    ("name", "env", "message"),
    [
        ("Bad Name", "shell", "task name 'Bad Name'"),
        ("ok", "no-such-env", "--env: unknown environment 'no-such-env'"),
    ],
)
def test_new_task_rejects_bad_input(tmp_path: Path, name: str, env: str, message: str) -> None:
    with pytest.raises(ScaffoldError, match=message.replace("[", r"\[")):
        new_task(name, env, tmp_path / "x")


def test_new_task_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    with pytest.raises(ScaffoldError, match="already exists"):
        new_task("taken", "shell", tmp_path / "taken")


def test_env_package_names_follow_the_environment_name() -> None:
    files = env_package_files("kv-store")
    assert "src/toolgym_kv_store/env.py" in files
    assert "class KvStoreEnv(ToolEnv)" in files["src/toolgym_kv_store/env.py"]
    assert 'kv-store = "toolgym_kv_store.env:KvStoreEnv"' in files["pyproject.toml"]
    assert "src/toolgym_kv_store/suites/kv-store/capital/task.toml" in files
    assert not any("$" in text for path, text in files.items() if path.endswith(".toml"))


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_generated_env_package_is_a_working_plugin(tmp_path: Path) -> None:
    """Install a fresh package (not editable: its tasks must ship as package data), then use
    it the ways users do; uninstall it whatever happens."""
    name = f"kv-{uuid.uuid4().hex[:8]}"
    module = "toolgym_" + name.replace("-", "_")
    made = _run(BIN / "toolgym", "new", "env", name, "--out", tmp_path / "pkg")
    assert made.returncode == 0, made.stderr
    install = _run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        tmp_path / "pkg",
    )
    assert install.returncode == 0, install.stderr
    try:
        gym_id = "toolgym/Kv" + name.split("-")[1].capitalize() + "-v0"
        listed = _run(BIN / "toolgym", "envs", "list")
        assert gym_id in listed.stdout and f"toolgym-{name}" in listed.stdout, listed.stdout
        suites = _run(BIN / "toolgym", "tasks", "list")
        assert name in suites.stdout, suites.stdout
        made_env = _run(
            sys.executable,
            "-c",
            "import gymnasium as gym, toolgym\n"
            f"from {module} import TASKS_DIR\n"
            f"env = gym.make({gym_id!r}, task=TASKS_DIR / 'capital')\n"
            "observation, info = env.reset(seed=0)\n"
            "print(sorted(tool['function']['name'] for tool in info['tools']))",
        )
        assert made_env.returncode == 0, made_env.stderr
        assert "['keys', 'read', 'submit', 'write']" in made_env.stdout
        checked = _run(BIN / "toolgym", "check", name)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "2 passed, 0 failed" in checked.stdout
        out = tmp_path / "run"
        evaluated = _run(
            BIN / "toolgym", "eval", "--tasks", name, "--agent", "oracle", "--out", out
        )
        assert evaluated.returncode == 0, evaluated.stdout + evaluated.stderr
        summary = json.loads((out / "summary.json").read_text())
        overall = summary["overall"]
        assert overall["episodes"] == 2 and overall["mean_reward"] == 1.0, summary
        own_tests = _run(
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            tmp_path / "pkg" / "tests",
            cwd=tmp_path,
        )
        assert own_tests.returncode == 0, own_tests.stdout[-3000:]
        assert "3 passed" in own_tests.stdout
    finally:
        _run(sys.executable, "-m", "pip", "uninstall", "-y", "-q", f"toolgym-{name}")
    assert name not in _run(BIN / "toolgym", "envs", "list").stdout
