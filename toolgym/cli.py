"""The ``toolgym`` command line (typer + rich)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from toolgym.envs import environment_name
from toolgym.repo import cli as repo_cli
from toolgym.sandbox import BACKENDS, SandboxBackend, SandboxUnavailable, get_backend
from toolgym.search import cli as search_cli
from toolgym.task import TaskLoadError, builtin_tasks_root, load_task, resolve_task_paths

app = typer.Typer(
    help="Agentic tool-use environments for RL with verifiable rewards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
tasks_app = typer.Typer(help="Browse task suites.", no_args_is_help=True)
app.add_typer(tasks_app, name="tasks")
generate_app = typer.Typer(help="Write procedurally generated tasks.", no_args_is_help=True)
app.add_typer(generate_app, name="generate")
envs_app = typer.Typer(help="Browse environments.", no_args_is_help=True)
app.add_typer(envs_app, name="envs")
new_app = typer.Typer(help="Start a new environment or task.", no_args_is_help=True)
app.add_typer(new_app, name="new")
train_app = typer.Typer(
    help="Train policies with TRL (needs the hf and train extras).", no_args_is_help=True
)
app.add_typer(train_app, name="train")
_TRAIN_CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}
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


def _check_backend(name: str) -> SandboxBackend | str:
    """The backend; an unknown name is refused, but one that cannot run here only warns
    (and is passed on by name), since environments that grade in process (search, SQL)
    need no sandbox."""
    try:
        return get_backend(name)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except SandboxUnavailable as exc:
        console.print(f"[yellow]warning:[/yellow] sandboxed tasks will fail: {escape(str(exc))}")
        return name


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
    sandbox_backend = _check_backend(backend)
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
        _check_backend(backend)
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


def _trl_config(config_class: type, args: list[str]) -> Any:
    """Parse TRL-style flags (``--learning_rate 1e-6``) and ``--config file.yaml`` into a
    config dataclass: every field of TRL's config is a flag, as in TRL's own scripts."""
    import os

    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
    from trl import TrlParser

    parser = TrlParser((config_class,))
    if not args or args[0] in ("-h", "--help"):
        parser.print_help()
        raise typer.Exit(0)
    try:
        (config,) = parser.parse_args_and_config(args=args)
    except (SystemExit, ValueError) as exc:
        raise typer.Exit(2) from exc
    return config


@train_app.command("sft", context_settings=_TRAIN_CONTEXT)
def train_sft_command(ctx: typer.Context) -> None:
    """Fine-tune on verified trajectories (--model_name_or_path, --trajectories, --min_reward,
    --output_dir, any SFTConfig field, or --config file.yaml)."""
    from toolgym.trainers.sft import ToolgymSFTConfig, train_sft

    config = _trl_config(ToolgymSFTConfig, list(ctx.args))
    try:
        out = train_sft(config)
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    console.print(f"saved the fine-tuned model to {out}")


@train_app.command("grpo", context_settings=_TRAIN_CONTEXT)
def train_grpo_command(ctx: typer.Context) -> None:
    """GRPO with multi-turn rollouts in toolgym environments (--model_name_or_path, --tasks,
    --num_generations, --env_max_steps, any GRPOConfig field, or --config file.yaml)."""
    from toolgym.trainers.grpo import ToolgymGRPOConfig, train_grpo

    config = _trl_config(ToolgymGRPOConfig, list(ctx.args))
    try:
        out = train_grpo(config)
    except (ValueError, TaskLoadError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    console.print(f"saved the trained model to {out}")


@tasks_app.command("list")
def tasks_list(
    path: Annotated[
        str | None,
        typer.Argument(help="Task dir, suite dir or suite name; none: list the suites."),
    ] = None,
) -> None:
    """List the suites (built-in and from plugins), or the tasks of one suite."""
    if path is None:
        _list_suites()
        return
    table = Table("id", "environment", "category", "difficulty")
    problems = 0
    for task_dir in _task_dirs([path]):
        try:
            task = load_task(task_dir)
        except TaskLoadError as exc:
            problems += 1
            console.print(f"[red]error:[/red] {escape(str(exc))}")
            continue
        table.add_row(task.id, environment_name(task), task.category or "-", task.difficulty or "-")
    console.print(table)
    if problems:
        raise typer.Exit(1)


def _list_suites() -> None:
    from toolgym.plugins import PluginError, plugin_suites

    table = Table("suite", "tasks", "environment", "from", "path")
    suites: list[tuple[str, str, Path | None, str]] = [
        (folder.name, "toolgym", folder, "")
        for folder in sorted(builtin_tasks_root().iterdir())
        if folder.is_dir() and not folder.name.startswith(".")
    ]
    for suite in plugin_suites():
        try:
            suites.append((suite.name, suite.package, suite.path(), ""))
        except PluginError as exc:
            suites.append((suite.name, suite.package, None, str(exc)))
    for name, source, folder, problem in suites:
        if folder is None:
            table.add_row(name, "-", "-", source, f"[red]{escape(problem)}[/red]")
            continue
        try:
            paths = resolve_task_paths(folder)
            environment = environment_name(load_task(paths[0]))
        except (TaskLoadError, ValueError) as exc:
            table.add_row(name, "-", "-", source, f"[red]{escape(str(exc))}[/red]")
            continue
        table.add_row(name, str(len(paths)), environment, source, str(folder))
    console.print(table)


@envs_app.command("list")
def envs_list() -> None:
    """List the environments: built-in ones and those installed packages register."""
    from toolgym.envs import ENVIRONMENTS, SOURCES

    table = Table("name", "gymnasium id", "tools", "from", "class")
    for name, spec in sorted(ENVIRONMENTS.items()):
        try:
            tools = ", ".join(sorted(_tool_names(spec.load())))
        except Exception as exc:  # a broken plugin is listed with its problem, not hidden
            tools = f"[red]cannot load: {escape(str(exc))}[/red]"
        table.add_row(name, spec.gym_id, tools, SOURCES.get(name, "?"), spec.entry_point)
    console.print(table)


def _tool_names(env_class: type) -> list[str]:
    return [
        attribute
        for attribute in dir(env_class)
        if getattr(getattr(env_class, attribute, None), "__toolgym_tool__", False)
    ]


@new_app.command("env")
def new_env(
    name: Annotated[str, typer.Argument(help="The environment's name, e.g. kv-store.")],
    out: Annotated[
        Path | None, typer.Option(help="Where to write the package (default ./toolgym-NAME).")
    ] = None,
) -> None:
    """Write an installable environment package: a working ToolEnv, tasks, entry points and
    a conformance test."""
    from toolgym.scaffold import ScaffoldError, env_package_names, new_env_package

    try:
        root = new_env_package(name, out)
    except ScaffoldError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    names = env_package_names(name)
    console.print(f"wrote {root}/ ({names['gym_id']}, class {names['class_name']})")
    console.print(f"next: pip install -e {root} && toolgym check {name} && pytest {root}/tests")


@new_app.command("task")
def new_task_command(
    name: Annotated[str, typer.Argument(help="The task's name, e.g. count-errors.")],
    env: Annotated[str, typer.Option("--env", help="The environment that runs it.")] = "shell",
    out: Annotated[Path | None, typer.Option(help="Where to write it (default ./NAME).")] = None,
) -> None:
    """Write a task skeleton; `toolgym check` fails on it until every TODO(toolgym) is done."""
    from toolgym.scaffold import ScaffoldError, new_task

    try:
        root = new_task(name, env, out)
    except ScaffoldError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    console.print(f"wrote {root}/: fill in every TODO(toolgym), then run: toolgym check {root}")


# SearchEnv's commands: toolgym index build, toolgym search, toolgym generate search.
app.add_typer(search_cli.index_app, name="index")
app.command("search")(search_cli.search)
generate_app.command("search")(search_cli.generate)
# RepoEnv's commands: toolgym import swebench, toolgym generate repo.
app.add_typer(repo_cli.import_app, name="import")
generate_app.command("repo")(repo_cli.generate_repo)


def main() -> None:
    app()
