"""``toolgym import swebench``: a round trip over a fixture git repository made here."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from toolgym.envs import RepoEnv
from typer.testing import CliRunner

from toolgym.check import check_task
from toolgym.cli import app
from toolgym.repo.config import repo_config
from toolgym.repo.fixtures import CORE_FIXED, write_demo_repo
from toolgym.repo.importer import SWEBenchImportError, import_swebench
from toolgym.task import load_task

runner = CliRunner()
NEW_TEST = "\n\ndef test_clamp_just_above():\n    assert clamp(11, 0, 10) == 10\n"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=dev", "-c", "user.email=dev@x", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="module")
def swebench(tmp_path_factory) -> tuple[Path, Path, dict]:
    """A clone ``acme__calc`` with a buggy base commit, then the fix and its test upstream."""
    root = tmp_path_factory.mktemp("swe")
    repo = write_demo_repo(root / "repos" / "acme__calc")
    tests = repo / "tests" / "test_core.py"
    tests.write_text(
        tests.read_text().replace(
            "def test_clamp_high():\n    assert clamp(11, 0, 10) == 10\n",
            "def test_clamp_high():\n    assert clamp(15, 0, 10) == 10\n",
        )
    )
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD").strip()
    (repo / "calc" / "core.py").write_text(CORE_FIXED)
    patch = _git(repo, "diff")
    _git(repo, "commit", "-qam", "fix clamp")
    tests.write_text(tests.read_text() + NEW_TEST)
    test_patch = _git(repo, "diff")
    _git(repo, "commit", "-qam", "test clamp")
    p2p = [
        "tests/test_core.py::test_clamp_inside",
        "tests/test_core.py::test_clamp_high",
        "tests/test_core.py::TestChunks::test_sizes[3]",
    ]
    instance = {
        "instance_id": "acme__calc-17",
        "repo": "acme/calc",
        "base_commit": base,
        "patch": patch,
        "test_patch": test_patch,
        "FAIL_TO_PASS": json.dumps(["tests/test_core.py::test_clamp_just_above"]),
        "PASS_TO_PASS": json.dumps(p2p),
        "problem_statement": "clamp(11, 0, 10) returns 11\n\nIt should return 10.",
        "version": "1.0",
    }
    instances = root / "instances.jsonl"
    orphan = {**instance, "instance_id": "other__x-1", "repo": "other/x"}
    instances.write_text(json.dumps(instance) + "\n\n" + json.dumps(orphan) + "\n")
    return instances, root / "repos", instance


def test_import_writes_a_task_that_passes_the_gate(backend, swebench, tmp_path):
    instances, repos, instance = swebench
    result = runner.invoke(
        app, ["import", "swebench", str(instances), "--repos", str(repos), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 1 task(s)" in result.output and "no local clone of 'other/x'" in result.output
    task = load_task(tmp_path / "acme__calc-17")
    config = repo_config(task)
    assert config.git == str((repos / "acme__calc").resolve())
    assert config.base_commit == instance["base_commit"]
    assert config.fail_to_pass == ["tests/test_core.py::test_clamp_just_above"]
    assert config.test_paths == ["tests/test_core.py"]
    assert (task.tests_dir / "test.patch").read_text() == instance["test_patch"]
    assert (task.path / "solution" / "fix.patch").read_text() == instance["patch"]
    assert task.instruction.startswith("clamp(11, 0, 10) returns 11")
    assert task.config.metadata.model_extra["instance_id"] == "acme__calc-17"

    check = check_task(task, backend)
    assert check.passed, check.problems

    env = RepoEnv(task, backend=backend, prewarm=False)
    try:
        env.reset()
        call = {
            "name": "bash",
            "arguments": {
                "command": (
                    "git log --all --oneline | wc -l; grep -c just_above tests/test_core.py; "
                    "grep -c 'high + 1' calc/core.py"
                )
            },
        }
        out, *_ = env.step(f"<tool_call>{json.dumps(call)}</tool_call>")
        # One commit (no upstream history with the fix), the hidden test absent, the bug there.
        assert out.splitlines()[:3] == ["1", "0", "1"]
    finally:
        env.close()


def test_import_errors_name_the_line_and_field(swebench, tmp_path):
    _instances, repos, instance = swebench
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**instance, "FAIL_TO_PASS": "[]"}) + "\n")
    with pytest.raises(SWEBenchImportError, match=r"bad.jsonl:1: FAIL_TO_PASS is empty"):
        import_swebench(bad, repos, tmp_path / "out")
    bad.write_text(json.dumps({**instance, "base_commit": "0" * 40}) + "\n")
    with pytest.raises(SWEBenchImportError, match="is not in the clone"):
        import_swebench(bad, repos, tmp_path / "out")
    bad.write_text(json.dumps({k: v for k, v in instance.items() if k != "patch"}) + "\n")
    with pytest.raises(SWEBenchImportError, match="missing field"):
        import_swebench(bad, repos, tmp_path / "out")
    bad.write_text("{not json\n")
    result = runner.invoke(
        app, ["import", "swebench", str(bad), "--repos", str(repos), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "bad.jsonl:1: invalid JSON" in result.output
