"""The reference agents, the task gate and the command line."""

from __future__ import annotations

from toolgym.agents import NullPolicy, OraclePolicy, make_policy
from toolgym.envs import ShellEnv
from typer.testing import CliRunner

from toolgym.check import check_task
from toolgym.cli import app
from toolgym.rollout import run_episode

runner = CliRunner()


def test_oracle_and_null_through_the_agent_loop(backend, make_task):
    task = make_task(
        solve="set -e\ncd /app\necho hello > out.txt\nexit 0\n", context={"helper.txt": "x"}
    )
    env = ShellEnv(task, backend=backend)
    try:
        oracle = run_episode(env, OraclePolicy())
        assert oracle.reward == 1.0 and oracle.steps == 2 and oracle.terminated
        roles = [m["role"] for m in oracle.messages]
        assert roles == ["user", "assistant", "tool", "assistant", "tool"]
        assert oracle.messages[1]["tool_calls"][0]["function"]["name"] == "bash"
        assert oracle.messages[2]["tool_call_id"] == oracle.messages[1]["tool_calls"][0]["id"]
        null = run_episode(env, NullPolicy())
        assert null.reward == 0.0 and null.steps == 1
        assert oracle.env_seconds > 0 and null.verifier["reward"] == 0.0
    finally:
        env.close()


def test_oracle_uses_solution_helper_files(backend, make_task):
    task = make_task(solve="cp /solution/answer.txt /app/out.txt\n")
    (task / "solution" / "answer.txt").write_text("hello")
    assert check_task(task, backend).passed


def test_unknown_policy_name():
    try:
        make_policy("gpt-17")
    except ValueError as exc:
        assert "unknown agent" in str(exc) and "oracle" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ValueError")


def test_check_reports_pass_and_fail(backend, make_task, tmp_path, monkeypatch):
    monkeypatch.setattr("toolgym.cli.get_backend", lambda name: backend)
    make_task("good")
    make_task("broken-solution", solve="echo nope > /app/out.txt\n")
    make_task("free-reward", test="echo 1 > /logs/verifier/reward.txt\n")
    make_task("bad-dockerfile", dockerfile="FROM node:20\n")
    result = runner.invoke(app, ["check", str(tmp_path / "suite"), "-j", "2"])
    lines = result.output.splitlines()
    assert result.exit_code == 1, result.output
    assert any(line.startswith("PASS suite/good") for line in lines)
    assert any(line.startswith("FAIL suite/broken-solution") for line in lines)
    assert "oracle got reward 0, expected 1" in result.output
    assert "null got reward 1, expected 0" in result.output
    assert "FROM node:20: base image 'node:20'" in result.output
    assert lines[-1] == "1 passed, 3 failed"


def test_check_exit_zero_when_all_pass(backend, make_task, tmp_path, monkeypatch):
    monkeypatch.setattr("toolgym.cli.get_backend", lambda name: backend)
    make_task("good")
    result = runner.invoke(app, ["check", str(tmp_path / "suite" / "good")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "1 passed, 0 failed"


def test_check_load_error_and_missing_path(make_task, tmp_path, backend, monkeypatch):
    monkeypatch.setattr("toolgym.cli.get_backend", lambda name: backend)
    broken = make_task("broken", toml="[agent]\ntimeout_sec = 0\n")
    result = runner.invoke(app, ["check", str(broken)])
    assert result.exit_code == 1
    assert "[agent].timeout_sec" in result.output and "0 passed, 1 failed" in result.output
    missing = runner.invoke(app, ["check", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no such task directory" in missing.output


def test_tasks_list(make_task, tmp_path):
    make_task("alpha")
    make_task("beta", toml='[metadata]\ncategory = "git"\ndifficulty = "hard"\n')
    result = runner.invoke(app, ["tasks", "list", str(tmp_path / "suite")])
    assert result.exit_code == 0
    assert "suite/alpha" in result.output and "suite/beta" in result.output
    assert "git" in result.output and "hard" in result.output


def test_in_process_environments_are_checked_without_bubblewrap(tmp_path):
    """Search and SQL tasks need no sandbox: a machine without bwrap can still gate them,
    while a shell task fails with the reason."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    toolgym_bin = Path(sys.executable).parent / "toolgym"
    env = {**os.environ, "PATH": str(tmp_path), "COLUMNS": "200"}  # no bwrap on this PATH
    sql = subprocess.run(
        [str(toolgym_bin), "check", "tasks/sql/shop-unsold-products"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
    )
    assert sql.returncode == 0, sql.stdout + sql.stderr
    assert "sandboxed tasks will fail" in sql.stdout and "1 passed" in sql.stdout
    shell = subprocess.run(
        [str(toolgym_bin), "check", "tasks/shell/api-latency-percentiles"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
    )
    assert shell.returncode == 1 and "bubblewrap (bwrap) is not installed" in shell.stdout
