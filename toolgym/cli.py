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
