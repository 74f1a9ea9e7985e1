"""``toolgym eval``: incremental, resumable runs; trajectories load with datasets; pass@k."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from rich.console import Console
from toolgym.agents import OraclePolicy, make_policy
from toolgym.envs import ShellEnv
from typer.testing import CliRunner

from toolgym.cli import app
from toolgym.evaluate import EvalConfig, EvalConfigMismatch, EvalRun, episode_seed, summary_table
from toolgym.metrics import k_values, pass_at_k, summarize
from toolgym.trajectory import SCHEMA_VERSION, TrajectoryFile

QUIET = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - module-lifetime sink


def run(tmp_path, backend, tasks, out, samples=1, jobs=1, agent="oracle", **extra):
    config = EvalConfig(
        tasks=[str(tasks)], agent=agent, out=out, samples=samples, jobs=jobs, **extra
    )
    runner = EvalRun(
        config,
        make_policy(agent),
        console=QUIET,
        env_factory=lambda task: ShellEnv(task, backend=backend, max_steps=config.max_steps),
    )
    return runner.run(show_progress=False)


@pytest.fixture
def tasks(make_task, tmp_path):
    for index, name in enumerate(("alpha", "beta", "gamma")):
        make_task(
            name,
            toml=f'[metadata]\ncategory = "cat{index % 2}"\ndifficulty = "easy"\n'
            "[verifier]\ntimeout_sec = 20\n",
            solve="echo hello > /app/out.txt\n" if name != "gamma" else "true\n",
        )
    return tmp_path / "suite"


def test_run_writes_trajectories_and_summary(tmp_path, backend, tasks):
    out = tmp_path / "run"
    summary = run(tmp_path, backend, tasks, out, samples=2, jobs=2)
    lines = (out / "trajectories.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 6
    assert {(r["task_id"], r["sample"]) for r in records} == {
        (f"suite/{n}", s) for n in ("alpha", "beta", "gamma") for s in (0, 1)
    }
    first = records[0]
    assert first["schema_version"] == SCHEMA_VERSION
    assert first["agent"] == "oracle" and first["seed"] == episode_seed(
        0, first["task_id"], first["sample"]
    )
    assert [m["role"] for m in first["messages"]] == [
        "user",
        "assistant",
        "tool",
        "assistant",
        "tool",
    ]
    assert first["tool_calls"][0]["name"] == "bash" and first["tool_calls"][0]["exit_code"] == 0
    assert json.loads(first["tool_calls"][0]["arguments"])["command"]
    assert first["end_reason"] == "submitted" and first["steps"] == 2
    assert set(first["timing"]) == {"reset", "agent", "env", "tools", "verifier", "total"}
    assert summary["overall"]["pass@1"] == pytest.approx(2 / 3)
    assert summary["by_task"]["suite/gamma"]["passed"] == 0
    assert summary["by_category"]["cat0"]["tasks"] == 2
    saved = json.loads((out / "summary.json").read_text())
    assert saved["overall"] == summary["overall"] and saved["k"] == [1, 2]
    table = summary_table(summary)
    assert [c.header for c in table.columns][-2:] == ["pass@1", "pass@2"]


def test_resume_keeps_finished_episodes_and_never_duplicates(tmp_path, backend, tasks):
    out = tmp_path / "run"
    run(tmp_path, backend, tasks, out, samples=1)
    before = (out / "trajectories.jsonl").read_text()
    summary = run(tmp_path, backend, tasks, out, samples=1)
    assert (out / "trajectories.jsonl").read_text() == before
    assert summary["episodes_run"] == 0 and summary["episodes_resumed"] == 3
    summary = run(tmp_path, backend, tasks, out, samples=3)  # more samples: only new ones run
    records = [json.loads(x) for x in (out / "trajectories.jsonl").read_text().splitlines()]
    assert len(records) == 9 and len({(r["task_id"], r["sample"]) for r in records}) == 9
    assert summary["episodes_run"] == 6


def test_torn_last_line_is_dropped_and_rerun(tmp_path, backend, tasks):
    out = tmp_path / "run"
    run(tmp_path, backend, tasks, out)
    path = out / "trajectories.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:2]) + lines[2][: len(lines[2]) // 2])  # a crash mid-write
    summary = run(tmp_path, backend, tasks, out)
    records = [json.loads(x) for x in path.read_text().splitlines()]
    assert len(records) == 3 and summary["episodes_run"] == 1


def test_resume_refuses_other_settings(tmp_path, backend, tasks):
    out = tmp_path / "run"
    run(tmp_path, backend, tasks, out)
    with pytest.raises(EvalConfigMismatch, match="agent='oracle', not 'null'"):
        run(tmp_path, backend, tasks, out, agent="null")


def test_trajectories_load_with_datasets(tmp_path, backend, tasks):
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "run"
    run(tmp_path, backend, tasks, out, samples=2)
    run(tmp_path, backend, tasks, tmp_path / "null-run", agent="null")
    files = [str(out / "trajectories.jsonl"), str(tmp_path / "null-run" / "trajectories.jsonl")]
    table = datasets.load_dataset(
        "json", data_files=files, split="train", cache_dir=str(tmp_path / "hf-cache")
    )
    assert table.num_rows == 9
    assert set(table["agent"]) == {"oracle", "null"}
    row = table[0]
    assert row["messages"][1]["tool_calls"][0]["function"]["name"] == "bash"
    assert row["rewards"][0]["name"] == "reward"


def test_infrastructure_errors_are_recorded_and_retried(tmp_path, backend, make_task):
    make_task("broken", dockerfile="FROM node:20\n")
    make_task("fine")
    out = tmp_path / "run"
    summary = run(tmp_path, backend, tmp_path / "suite", out)
    assert summary["errors"] == 1 and summary["episodes_run"] == 2
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert errors[0]["task_id"] == "suite/broken" and "node:20" in errors[0]["error"]
    records = (out / "trajectories.jsonl").read_text().splitlines()
    assert [json.loads(x)["task_id"] for x in records] == ["suite/fine"]


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path, make_task):
    """Really SIGKILL a running `toolgym eval`, then finish the run."""
    for name in ("t1", "t2", "t3", "t4"):
        make_task(name, solve="sleep 0.4; echo hello > /app/out.txt\n")
    out = tmp_path / "run"
    env = dict(os.environ, TOOLGYM_CACHE=str(tmp_path / "cache"))
    argv = [
        sys.executable,
        "-m",
        "toolgym",
        "eval",
        "--tasks",
        str(tmp_path / "suite"),
        "--agent",
        "oracle",
        "--out",
        str(out),
        "--samples",
        "2",
        "--no-progress",
    ]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    path = out / "trajectories.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().count("\n") >= 3:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    kept = [json.loads(x) for x in path.read_text().splitlines()]
    assert 3 <= len(kept) < 8, "killed mid-run"
    finished = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    records = [json.loads(x) for x in path.read_text().splitlines()]
    keys = [(r["task_id"], r["sample"]) for r in records]
    assert len(keys) == 8 and len(set(keys)) == 8
    assert [r["episode_id"] for r in records[: len(kept)]] == [r["episode_id"] for r in kept]
    assert json.loads((out / "summary.json").read_text())["overall"]["pass@1"] == 1.0


def test_cli_eval_prints_the_table(tmp_path, backend, tasks, monkeypatch):
    monkeypatch.setattr("toolgym.sandbox.get_backend", lambda name: backend)
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "--tasks",
            str(tasks),
            "--agent",
            "oracle",
            "--out",
            str(tmp_path / "cli"),
            "-k",
            "2",
            "-j",
            "2",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "pass@2" in result.output and "cat0" in result.output and "all" in result.output
    assert "6 episode(s) run, 0 kept" in result.output
    bad = CliRunner().invoke(
        app, ["eval", "--tasks", str(tasks), "--agent", "gpt", "--out", str(tmp_path / "x")]
    )
    assert bad.exit_code == 2 and "unknown agent" in bad.output


# -- pass@k ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (5, 2, 1, 0.4),
        (5, 2, 2, 1 - 3 / 10),  # 1 - C(3,2)/C(5,2)
        (5, 2, 3, 1 - 1 / 10),  # 1 - C(3,3)/C(5,3)
        (5, 2, 4, 1.0),  # fewer failures than k: some sample passes
        (10, 3, 5, 1 - 21 / 252),  # 1 - C(7,5)/C(10,5)
        (4, 0, 2, 0.0),
        (4, 4, 1, 1.0),
        (200, 1, 100, 0.5),
    ],
)
def test_pass_at_k_matches_hand_computed_values(n, c, k, expected):
    assert pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_pass_at_k_rejects_impossible_input():
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)
    with pytest.raises(ValueError):
        pass_at_k(3, 1, 4)


def test_k_values_and_summary_of_uneven_samples():
    assert k_values(1) == [1] and k_values(5) == [1, 2, 4, 5] and k_values(8) == [1, 2, 4, 8]
    records = [
        {
            "task_id": "a",
            "sample": s,
            "passed": s == 0,
            "reward": float(s == 0),
            "category": "x",
            "difficulty": "easy",
            "end_reason": "submitted",
        }
        for s in range(4)
    ] + [
        {
            "task_id": "b",
            "sample": 0,
            "passed": True,
            "reward": 1.0,
            "category": "y",
            "difficulty": "hard",
            "end_reason": "max_steps",
        }
    ]
    summary = summarize(records, samples=4)
    assert summary["by_task"]["a"]["pass@1"] == 0.25 and summary["by_task"]["a"]["pass@4"] == 1
    assert "pass@2" not in summary["by_task"]["b"]
    assert summary["overall"]["pass@1"] == pytest.approx((0.25 + 1) / 2)
    assert summary["overall"]["pass@4"] == 1.0
    assert summary["end_reasons"] == {"submitted": 4, "max_steps": 1}


def test_trajectory_file_is_append_only_and_thread_safe(tmp_path):
    import threading

    file = TrajectoryFile(tmp_path / "t.jsonl")
    threads = [
        threading.Thread(
            target=lambda i=i: [file.append({"i": i, "j": j, "pad": "x" * 5000}) for j in range(50)]
        )
        for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = file.recover()
    assert len(records) == 200 and len({(r["i"], r["j"]) for r in records}) == 200


def test_oracle_policy_needs_the_task():
    from toolgym.agents import PolicyRequest

    with pytest.raises(ValueError, match="needs the task"):
        OraclePolicy().generate([PolicyRequest(messages=[], tools=[])])
