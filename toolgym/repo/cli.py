"""Command-line entry points for repository tasks (registered in ``toolgym.cli``):

* ``toolgym import swebench INSTANCES.jsonl --repos DIR --out DIR``
* ``toolgym generate repo --package NAME==VER --seed S --count N --split train --out DIR``
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

import_app = typer.Typer(help="Import tasks from other benchmark formats.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


@import_app.command("swebench")
def import_swebench_command(
    instances: Annotated[Path, typer.Argument(help="SWE-bench-format instances (JSONL).")],
    repos: Annotated[Path, typer.Option(help="Folder of local clones (owner__name, ...).")],
    out: Annotated[Path, typer.Option(help="Folder to write the task directories into.")],
    requirement: Annotated[
        list[str] | None,
        typer.Option(
            "--requirement",
            "-r",
            help="Pinned test requirement (NAME==VER), repeatable; "
            "default: pytest and its dependencies.",
        ),
    ] = None,
) -> None:
    """Turn SWE-bench instances into repository tasks (the clones must hold base_commit)."""
    from toolgym.repo.importer import SWEBenchImportError, import_swebench

    try:
        result = import_swebench(instances, repos, out, requirement or None)
    except SWEBenchImportError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    for line in result.skipped:
        console.print(f"[yellow]skipped:[/yellow] {escape(line)}")
    console.print(f"wrote {len(result.written)} task(s) to {out}")
    if result.skipped and not result.written:
        raise typer.Exit(1)


def generate_repo(
    out: Annotated[Path, typer.Option(help="Folder to write the task directories into.")],
    package: Annotated[
        str | None, typer.Option(help="PyPI package to plant bugs in, as NAME==VERSION.")
    ] = None,
    path: Annotated[
        Path | None, typer.Option(help="Or a local package folder (with its tests).")
    ] = None,
    seed: Annotated[int, typer.Option(help="First seed within the split.")] = 0,
    count: Annotated[int, typer.Option(help="Number of seeds (seed..seed+count-1).")] = 1,
    split: Annotated[str, typer.Option(help="train or test (disjoint seeds and functions).")] = (
        "train"
    ),
    max_tries: Annotated[int, typer.Option(help="Mutants tried per seed.")] = 40,
    backend: Annotated[str, typer.Option(help="Sandbox backend.")] = "bwrap",
) -> None:
    """Plant bugs in a package with AST mutation operators; keep those its tests catch."""
    from toolgym.generate.base import split_seed
    from toolgym.repo.generate import GenerateError, PackageSource, generate_repo_tasks
    from toolgym.sandbox import SandboxUnavailable, get_backend
    from toolgym.task import TaskLoadError

    try:
        if (package is None) == (path is None):
            raise ValueError("give exactly one of --package NAME==VERSION or --path DIR")
        source = (
            PackageSource.parse(package) if package else PackageSource(path=path.resolve())  # type: ignore[union-attr]
        )
        for number in (seed, seed + count - 1):
            split_seed(split, number)
        written = generate_repo_tasks(
            source,
            range(seed, seed + count),
            split,
            out,
            get_backend(backend),
            max_tries=max_tries,
            log=lambda line: console.print(escape(line)),
        )
    except (ValueError, GenerateError, TaskLoadError, SandboxUnavailable) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    console.print(f"wrote {len(written)} task(s) to {out}")
    if len(written) < count:
        console.print(f"[yellow]{count - len(written)} seed(s) gave no accepted bug[/yellow]")
