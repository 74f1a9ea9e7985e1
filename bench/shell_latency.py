"""Reset and step latency of ShellEnv against naive baselines, measured in the same run.

    python bench/shell_latency.py [--episodes 200] [--steps 200] [--json out.json]

Workloads: a trivial command (``true``) and a command over a small workspace (``ls -la`` of a
task whose Dockerfile copies 50 files). Compared, in this process:

* toolgym: ``ShellEnv.reset`` (cold: a new sandbox is started inside reset; warm: the default,
  where the next sandbox was started in the background while the previous episode ran, here
  during a 50 ms pause standing in for an LLM's generation time) and ``ShellEnv.step``
  (tool-call parsing, the persistent sandboxed shell, the observation);
* naive: a fresh ``bash -c`` per command, no sandbox, and a reset that copies the workspace;
* per-command bubblewrap: a fresh ``bwrap`` + ``bash -c`` per command (how mini-swe-agent's
  bubblewrap environment runs commands), with the same reset copy.

Ratios are baseline time / toolgym time (above 1: toolgym is faster).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from toolgym.envs import ShellEnv

BASH_TRUE = '<tool_call>{"name": "bash", "arguments": {"command": "true"}}</tool_call>'
BASH_LS = '<tool_call>{"name": "bash", "arguments": {"command": "ls -la"}}</tool_call>'
WORKSPACE_FILES = 50


def make_bench_task(root: Path) -> Path:
    """A Harbor task whose workspace holds 50 small files."""
    task = root / "bench-task"
    (task / "environment" / "files").mkdir(parents=True)
    (task / "tests").mkdir()
    for i in range(WORKSPACE_FILES):
        (task / "environment" / "files" / f"f{i:03d}.txt").write_text(f"line {i}\n" * 100)
    (task / "environment" / "Dockerfile").write_text(
        "FROM debian:bookworm-slim\nWORKDIR /app\nCOPY files/ /app/\n"
    )
    (task / "task.toml").write_text("[agent]\ntimeout_sec = 3600\n")
    (task / "instruction.md").write_text("Benchmark task.")
    (task / "tests" / "test.sh").write_text("echo 0 > /logs/verifier/reward.txt\n")
    return task


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "n": len(ordered),
    }


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def bench_toolgym(task: Path, episodes: int, steps: int, pause: float) -> dict[str, dict]:
    results: dict[str, dict] = {}
    cold = ShellEnv(task, prewarm=False)
    cold.reset()  # builds the template once (not part of reset latency)
    results["reset (cold)"] = percentiles(timed(cold.reset, episodes))
    cold.close()
    warm = ShellEnv(task, max_steps=10**9)
    warm.reset()
    samples = []
    for _ in range(episodes):
        time.sleep(pause)  # the episode's own duration (an LLM thinking)
        start = time.perf_counter()
        warm.reset()
        samples.append(time.perf_counter() - start)
    results["reset (warm, default)"] = percentiles(samples)
    results["step: true"] = percentiles(timed(lambda: warm.step(BASH_TRUE), steps))
    results["step: ls -la (50 files)"] = percentiles(timed(lambda: warm.step(BASH_LS), steps))
    warm.close()
    return results


def bench_baseline(task: Path, episodes: int, steps: int, per_command: list[str]) -> dict:
    source = task / "environment" / "files"
    scratch = Path(tempfile.mkdtemp(prefix="toolgym-bench-"))
    counter = iter(range(10**9))

    def reset() -> None:
        shutil.copytree(source, scratch / f"ep{next(counter)}")

    workdir = scratch / "ep-steps"
    shutil.copytree(source, workdir)
    try:
        return {
            "reset": percentiles(timed(reset, episodes)),
            "step: true": percentiles(
                timed(
                    lambda: subprocess.run([*per_command, "true"], cwd=workdir, check=True), steps
                )
            ),
            "step: ls -la": percentiles(
                timed(
                    lambda: subprocess.run(
                        [*per_command, "ls -la"], cwd=workdir, check=True, capture_output=True
                    ),
                    steps,
                )
            ),
        }
    finally:
        shutil.rmtree(scratch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument(
        "--pause",
        type=float,
        default=0.05,
        help="seconds between warm resets (an episode's duration)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        task = make_bench_task(Path(tmp))
        ours = bench_toolgym(task, args.episodes, args.steps, args.pause)
        naive = bench_baseline(task, args.episodes, args.steps, ["bash", "-c"])
        bwrap = bench_baseline(
            task,
            args.episodes,
            args.steps,
            [
                "bwrap",
                "--ro-bind",
                "/usr",
                "/usr",
                "--symlink",
                "usr/bin",
                "/bin",
                "--symlink",
                "usr/lib",
                "/lib",
                "--symlink",
                "usr/lib64",
                "/lib64",
                "--bind",
                ".",
                "/work",
                "--chdir",
                "/work",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--unshare-pid",
                "--die-with-parent",
                "bash",
                "-c",
            ],
        )

    rows = [
        ("reset (cold)", "reset"),
        ("reset (warm, default)", "reset"),
        ("step: true", "step: true"),
        ("step: ls -la (50 files)", "step: ls -la"),
    ]
    table = Table(
        "measure",
        "toolgym p50",
        "p99",
        "naive bash -c p50",
        "ratio",
        "bwrap per command p50",
        "ratio",
        title="ShellEnv latency (ms)",
    )
    for ours_key, base_key in rows:
        mine, n, b = ours[ours_key], naive[base_key], bwrap[base_key]
        table.add_row(
            ours_key,
            f"{mine['p50_ms']:.2f}",
            f"{mine['p99_ms']:.2f}",
            f"{n['p50_ms']:.2f}",
            f"{n['p50_ms'] / mine['p50_ms']:.2f}x",
            f"{b['p50_ms']:.2f}",
            f"{b['p50_ms'] / mine['p50_ms']:.2f}x",
        )
    Console().print(table)
    goals = {
        "reset p50 < 10 ms (warm)": ours["reset (warm, default)"]["p50_ms"] < 10,
        "reset p50 < 10 ms (cold)": ours["reset (cold)"]["p50_ms"] < 10,
        "step p50 < 2 ms": ours["step: true"]["p50_ms"] < 2,
    }
    for goal, met in goals.items():
        print(f"{'met' if met else 'NOT met'}: {goal}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "toolgym": ours,
                    "naive_bash_c": naive,
                    "bwrap_per_command": bwrap,
                    "goals": goals,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
