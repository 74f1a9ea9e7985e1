"""Prepare, reset and grading time of RepoEnv on the repository suite, against a baseline
that makes a full copy of the repository (and its test venv) per episode, measured in the
same run.

    python bench/repo_latency.py [--tasks repo] [--limit N] [--episodes 5] [--json out.json]

Measured per task, then summarised over the suite (medians):

* prepare, cold: build context and template from scratch (sdist and wheels already
  downloaded; downloading is a one-time, network-bound step reported separately);
* prepare, warm: a new process-level preparer over the warm on-disk caches;
* reset: ``RepoEnv.reset`` with ``prewarm=False`` (a sandbox started inside reset) and with the
  default background start;
* grading: the submit step after the oracle's fix (diff in a fresh sandbox over the agent's
  files, filter, apply to a pristine copy in a fresh sandbox, run the tests, parse JUnit).

Baseline per episode: copy the repository and the venv out of the template (what an
environment without copy-on-write does to get a fresh workspace), and for grading copy them
again, apply the diff and run the same pytest command without a sandbox. Ratios are baseline
time / toolgym time (above 1: toolgym is faster).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from toolgym.envs import RepoEnv

from toolgym.repo.config import PIP_REQUIREMENT, repo_config
from toolgym.repo.fetch import RepoCache, fetch_wheels
from toolgym.repo.prepare import VENV, PreparedRepo, RepoPreparer
from toolgym.sandbox.bwrap import BwrapBackend
from toolgym.task import load_tasks

SUBMIT = '<tool_call>{"name": "submit", "arguments": {}}</tool_call>'


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def fresh_contexts(cache: RepoCache) -> None:
    """Forget built contexts (keep downloads and unpacked trees) for a cold prepare."""
    shutil.rmtree(cache.root / "contexts", ignore_errors=True)


def baseline_copy(prepared: PreparedRepo, dest: Path) -> None:
    """A full copy of the workspace: the repository and the test venv."""
    layer = prepared.template.path / "root.upper"
    shutil.copytree(layer / prepared.workdir.lstrip("/"), dest / "repo", symlinks=True)
    shutil.copytree(layer / VENV.lstrip("/"), dest / "venv", symlinks=True)


def baseline_grade(prepared: PreparedRepo, patch: bytes, dest: Path) -> None:
    """Copy, apply the fix, run the same tests with a JUnit report (no sandbox)."""
    baseline_copy(prepared, dest)
    repo = dest / "repo"
    subprocess.run(["git", "apply", "-"], cwd=repo, input=patch, check=True)
    site = next((dest / "venv" / "lib").glob("python3*/site-packages"))
    roots = [str(repo / p) for p in prepared.python_path]
    subprocess.run(
        [
            "/usr/bin/python3",
            "-P",
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            f"--junitxml={dest / 'junit.xml'}",
            *prepared.config.files_to_run(),
        ],
        cwd=repo,
        env={"PYTHONPATH": ":".join([*roots, str(site)]), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=False,
    )


def measure(task_path: Path, episodes: int, work: Path) -> dict[str, float]:
    task = load_tasks([task_path])[0]
    cache = RepoCache(work / "repo-cache")
    backend = BwrapBackend(cache_dir=work / f"sandbox-{task.name}")
    preparer = RepoPreparer(cache)  # download the sdist and the wheels first (network)
    preparer._source(task, repo_config(task))
    fetch_wheels(sorted({*repo_config(task).requirements, PIP_REQUIREMENT}), cache)
    fresh_contexts(cache)
    start = time.monotonic()
    prepared = RepoPreparer(cache).prepare(task, backend)
    cold = time.monotonic() - start
    start = time.monotonic()
    RepoPreparer(cache).prepare(task, backend)
    warm = time.monotonic() - start
    patch = (task.path / "solution" / "fix.patch").read_bytes()
    out: dict[str, list[float]] = {
        k: [] for k in ("reset_cold", "reset_warm", "grade", "base_reset", "base_grade")
    }
    for prewarm, key in ((False, "reset_cold"), (True, "reset_warm")):
        env = RepoEnv(task, backend=backend, prewarm=prewarm, preparer=RepoPreparer(cache))
        env.prepare()
        for _ in range(episodes):
            time.sleep(0.05)  # stands in for the policy's generation time
            start = time.monotonic()
            env.reset()
            out[key].append(time.monotonic() - start)
            if key == "reset_warm":
                call = RepoEnv.oracle_call(task, 0)
                env.step(
                    "<tool_call>"
                    + json.dumps({"name": call.name, "arguments": call.arguments})
                    + "</tool_call>"
                )
                start = time.monotonic()
                _obs, reward, *_ = env.step(SUBMIT)
                out["grade"].append(time.monotonic() - start)
                assert reward == 1.0, f"{task.id}: the oracle scored {reward}"
        env.close()
    for index in range(episodes):
        dest = work / f"copy-{index}"
        start = time.monotonic()
        baseline_copy(prepared, dest)
        out["base_reset"].append(time.monotonic() - start)
        shutil.rmtree(dest)
        start = time.monotonic()
        baseline_grade(prepared, patch, dest)
        out["base_grade"].append(time.monotonic() - start)
        shutil.rmtree(dest)
    backend.close()
    return {
        "prepare_cold": cold * 1000,
        "prepare_warm": warm * 1000,
        **{k: median_ms(v) for k, v in out.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="repo")
    parser.add_argument("--limit", type=int, default=0, help="measure the first N tasks")
    parser.add_argument("--episodes", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    tasks = [t.path for t in load_tasks([args.tasks])]
    if args.limit:
        tasks = tasks[: args.limit]
    console = Console()
    rows = []
    with tempfile.TemporaryDirectory(prefix="toolgym-bench-repo-") as tmp:
        for path in tasks:
            row = measure(path, args.episodes, Path(tmp) / path.name)
            console.print(f"{path.name}: " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()))
            rows.append(row)
    summary = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
    table = Table("measure (ms, median over tasks)", "toolgym", "full copy per episode", "ratio")
    table.add_row("prepare, cold (downloads cached)", f"{summary['prepare_cold']:.0f}", "-", "-")
    table.add_row("prepare, warm", f"{summary['prepare_warm']:.1f}", "-", "-")
    for label, key in (("reset (prewarm=False)", "reset_cold"), ("reset (default)", "reset_warm")):
        ratio = summary["base_reset"] / summary[key]
        table.add_row(label, f"{summary[key]:.1f}", f"{summary['base_reset']:.1f}", f"{ratio:.1f}x")
    ratio = summary["base_grade"] / summary["grade"]
    table.add_row(
        "grading (oracle fix)",
        f"{summary['grade']:.0f}",
        f"{summary['base_grade']:.0f}",
        f"{ratio:.2f}x",
    )
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps({"tasks": len(rows), "summary": summary}, indent=1))


if __name__ == "__main__":
    main()
