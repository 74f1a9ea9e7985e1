"""The ``toolgym`` command line (typer + rich)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from toolgym.sandbox import BACKENDS, SandboxUnavailable, get_backend
from toolgym.task import TaskLoadError, load_task, resolve_task_paths

app = typer.Typer(
    help="Agentic tool-use environments for RL with verifiable rewards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
tasks_app = typer.Typer(help="Browse task suites.", no_args_is_help=True)
app.add_typer(tasks_app, name="tasks")
generate_app = typer.Typer(help="Write procedurally generated tasks.", no_args_is_help=True)
app.add_typer(generate_app, name="generate")
console = Console(highlight=False, soft_wrap=True)


def _task_dirs(specs: list[str]) -> list[Path]:
    dirs: list[Path] = []
    for spec in specs:
        try:
            dirs.extend(resolve_task_paths(spec))
        except TaskLoadError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from None
    return dirs


@app.command()
def check(
    tasks: Annotated[list[str], typer.Argument(help="Task dirs, suite dirs or built-in suites.")],
    jobs: Annotated[int, typer.Option("-j", "--jobs", help="Tasks checked at once.")] = 2,
    backend: Annotated[
        str, typer.Option(help=f"Sandbox backend: {', '.join(BACKENDS)}.")
    ] = "bwrap",
) -> None:
    """Gate tasks: the oracle must score 1.0 and the null agent 0.0 on each."""
    from toolgym.check import check_task

    dirs = _task_dirs(tasks)
    try:
        sandbox_backend = get_backend(backend)
    except (SandboxUnavailable, ValueError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    passed = failed = 0
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(check_task, d, sandbox_backend) for d in dirs]
        for future in as_completed(futures):
            result = future.result()
            rewards = "  ".join(f"{k}={v:g}" for k, v in result.rewards.items())
            if result.passed:
                passed += 1
                console.print(
                    f"[green]PASS[/green] {result.task_id:40s} {rewards:22s} {result.seconds:6.2f}s"
                )
            else:
                failed += 1
                console.print(
                    f"[red]FAIL[/red] {result.task_id:40s} {rewards:22s} {result.seconds:6.2f}s"
                )
                for problem in result.problems:
                    console.print(f"     {escape(problem)}")
    colour = "green" if not failed else "red"
    console.print(f"[{colour}]{passed} passed, {failed} failed[/{colour}]")
    if failed:
        raise typer.Exit(1)


@app.command("eval")
def eval_command(
    tasks: Annotated[
        list[str],
        typer.Option("--tasks", "-t", help="Task dir, suite dir or built-in suite (repeatable)."),
    ],
    agent: Annotated[str, typer.Option(help="Agent: oracle, null, hf, openai.")],
    out: Annotated[Path, typer.Option(help="Run directory (re-use it to resume).")],
    samples: Annotated[int, typer.Option("--samples", "-k", help="Episodes per task.")] = 1,
    jobs: Annotated[int, typer.Option("-j", "--jobs", help="Episodes run at once.")] = 1,
    model: Annotated[str | None, typer.Option(help="hf: model path; openai: model name.")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="openai: server URL, e.g. http://127.0.0.1:8000/v1.")
    ] = None,
    api_key_env: Annotated[str, typer.Option(help="openai: variable holding the API key.")] = (
        "OPENAI_API_KEY"
    ),
    temperature: Annotated[float, typer.Option(help="Sampling temperature (0: greedy).")] = 1.0,
    top_p: Annotated[float, typer.Option(help="Nucleus sampling.")] = 1.0,
    max_new_tokens: Annotated[int, typer.Option(help="Tokens per assistant turn.")] = 1024,
    save_tokens: Annotated[
        bool,
        typer.Option(
            help="hf: record token ids, log-probabilities and loss masks in the trajectories."
        ),
    ] = False,
    seed: Annotated[int, typer.Option(help="Base seed for per-episode seeds.")] = 0,
    max_steps: Annotated[int, typer.Option(help="Step budget per episode.")] = 50,
    backend: Annotated[str, typer.Option(help=f"Sandbox backend: {', '.join(BACKENDS)}.")] = (
        "bwrap"
    ),
    pass_threshold: Annotated[float, typer.Option(help="Reward that counts as a pass.")] = 1.0,
    progress: Annotated[bool, typer.Option(help="Show the progress bar.")] = True,
) -> None:
    """Run an agent on tasks: trajectories.jsonl (incremental, resumable) and summary.json.

    With -k K samples per task the summary gives pass@k (unbiased estimator) and best-of-K
    (the verifier picks the best sample).
    """
    from toolgym.agents import make_policy
    from toolgym.evaluate import EvalConfig, EvalConfigMismatch, EvalRun, summary_table

    try:
        config = EvalConfig(
            tasks=tasks,
            agent=agent,
            out=out,
            samples=samples,
            jobs=jobs,
            seed=seed,
            max_steps=max_steps,
            backend=backend,
            pass_threshold=pass_threshold,
            model=model,
            save_tokens=save_tokens,
        )
        get_backend(backend)
        policy = make_policy(
            agent,
            model=model,
            base_url=base_url,
            api_key_env=api_key_env,
            temperature=temperature,
            top_p=top_p,
            max_new_tokens=max_new_tokens,
            batch_size=jobs,
            concurrency=jobs,
            seed=seed,
        )
    except (ValueError, TaskLoadError, SandboxUnavailable) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    try:
        summary = EvalRun(config, policy, console=console).run(show_progress=progress)
    except (ValueError, TaskLoadError, EvalConfigMismatch) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    finally:
        policy.close()
    console.print(summary_table(summary))
    console.print(
        f"{summary['episodes_run']} episode(s) run, {summary['episodes_resumed']} kept from an "
        f"earlier run, {summary['errors']} error(s); trajectories: {out / 'trajectories.jsonl'}"
    )
    if summary["errors"]:
        console.print(
            f"[red]errors are listed in {out / 'errors.jsonl'}; re-run to retry them[/red]"
        )
        raise typer.Exit(1)


@generate_app.command("shell")
def generate_shell(
    family: Annotated[str, typer.Option(help="Family name, or 'all'.")],
    out: Annotated[Path, typer.Option(help="Folder to write the task directories into.")],
    seed: Annotated[int, typer.Option(help="First seed within the split.")] = 0,
    count: Annotated[int, typer.Option(help="Number of tasks (seeds seed..seed+count-1).")] = 1,
    split: Annotated[str, typer.Option(help="train or test (disjoint seed ranges).")] = "train",
) -> None:
    """Generate shell tasks: the same family, split and seed always give the same bytes."""
    from toolgym.generate import SHELL_FAMILIES, get_family, split_seed, write_task

    try:
        families = list(SHELL_FAMILIES.values()) if family == "all" else [get_family(family)]
        for number in (seed, seed + count - 1):
            split_seed(split, number)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    written = [write_task(f, split, seed + i, out) for f in families for i in range(count)]
    console.print(f"wrote {len(written)} task(s) to {out}")


@generate_app.command("families")
def generate_families() -> None:
    """List the task families."""
    from toolgym.generate import SHELL_FAMILIES

    table = Table("family", "category", "what it asks")
    for family in SHELL_FAMILIES.values():
        table.add_row(family.name, family.category, family.description)
    console.print(table)


@tasks_app.command("list")
def tasks_list(
    path: Annotated[str, typer.Argument(help="Task dir, suite dir or built-in suite.")] = "shell",
) -> None:
    """List tasks with their category and difficulty."""
    table = Table("id", "category", "difficulty")
    problems = 0
    for task_dir in _task_dirs([path]):
        try:
            task = load_task(task_dir)
        except TaskLoadError as exc:
            problems += 1
            console.print(f"[red]error:[/red] {escape(str(exc))}")
            continue
        table.add_row(task.id, task.category or "-", task.difficulty or "-")
    console.print(table)
    if problems:
        raise typer.Exit(1)


def main() -> None:
    app()
