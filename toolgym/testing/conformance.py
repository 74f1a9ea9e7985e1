"""The conformance kit: what every toolgym environment must do, checked in one call.

A contributed environment is trusted only after it passes::

    report = check_env_conformance("toolgym/KvStore-v0", tasks)
    assert report.ok, report.summary()

The checks, each reported by name with what went wrong:

* ``make``: ``gym.make(env_id, task=...)`` builds a :class:`~toolgym.envs.ToolEnv`;
* ``gymnasium``: Gymnasium's own ``check_env`` (spaces, reset/step signatures, seeding);
* ``tool_schemas``: every tool is a valid OpenAI function schema (name, description, an
  object ``parameters`` JSON schema whose ``required`` names exist), final tools exist;
* ``determinism``: the same seed gives the same first observation and info, in one
  environment and in a fresh one, and the oracle earns the same reward in as many steps;
* ``malformed_actions``: junk, giant, deeply nested, unknown-tool and wrong-argument actions
  never raise out of ``step``, come back as error observations inside the observation space,
  and earn no reward;
* ``contract``: ``step`` after the episode ended raises ``ResetNeeded``; ``close`` twice is
  harmless; ``reset(options={"task": ...})`` switches task;
* ``gate``: on every task the oracle scores 1, the null agent 0 and the environment's hacker
  probes 0 (verifier isolation), with no scaffold placeholders left;
* ``cleanup``: after everything is closed, no process, file descriptor or thread is left
  behind beyond what was there before.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gymnasium as gym

from toolgym.envs.base import MAX_ACTION_CHARS, ToolEnv
from toolgym.task import Task, load_task

_TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_JSON_TYPES = {"string", "number", "integer", "boolean", "array", "object", "null"}
# Keys a reset's info may vary in between identical seeds (none today; extend with care).
_VOLATILE_INFO_KEYS: frozenset[str] = frozenset()


@dataclass
class Finding:
    """One check's outcome on one task (``task`` is empty for environment-wide checks)."""

    check: str
    task: str
    ok: bool
    detail: str = ""


@dataclass
class ConformanceReport:
    """Every check's outcome; ``ok`` when all passed."""

    env_id: str
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(finding.ok for finding in self.findings)

    @property
    def failures(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.ok]

    def summary(self) -> str:
        """A readable account: one line per check, failures with their details."""
        passed = sum(finding.ok for finding in self.findings)
        lines = [
            f"{self.env_id}: {passed}/{len(self.findings)} checks passed in {self.seconds:.1f}s"
        ]
        for finding in self.findings:
            mark = "ok  " if finding.ok else "FAIL"
            where = f" [{finding.task}]" if finding.task else ""
            lines.append(f"  {mark} {finding.check}{where}")
            if not finding.ok and finding.detail:
                lines += [f"       {line}" for line in finding.detail.splitlines()]
        return "\n".join(lines)


def check_env_conformance(
    env_id: str,
    tasks: Sequence[str | Path | Task],
    *,
    env_kwargs: dict[str, Any] | None = None,
    seed: int = 0,
) -> ConformanceReport:
    """Run the conformance checks for the registered environment ``env_id`` on ``tasks``.

    The environment-wide checks run on the first task; the gate runs on every task. Pass
    ``env_kwargs`` for constructor options (e.g. a sandbox backend). Nothing raises: every
    problem, including a crash inside the environment, becomes a failed finding.
    """
    started = time.monotonic()
    report = ConformanceReport(env_id)
    kwargs = dict(env_kwargs or {})
    if not tasks:
        report.findings.append(Finding("make", "", False, "no tasks given"))
        return report
    loaded: list[Task] = []
    for spec in tasks:
        try:
            loaded.append(spec if isinstance(spec, Task) else load_task(spec))
        except ValueError as exc:
            report.findings.append(Finding("make", str(spec), False, str(exc)))
    if not loaded:
        return report
    first = loaded[0]

    def make(task: Task) -> ToolEnv:
        env = gym.make(env_id, task=task, disable_env_checker=True, **kwargs).unwrapped
        if not isinstance(env, ToolEnv):
            raise TypeError(f"{env_id} made a {type(env).__name__}, not a toolgym ToolEnv")
        return env

    def run(check: str, task: str, body: Callable[[], str | None]) -> None:
        """Record ``body``'s outcome: a returned string or any exception is a failure."""
        try:
            problem = body()
        except Exception as exc:
            problem = f"{type(exc).__name__}: {exc}\n" + "".join(
                traceback.format_exception(exc)[-3:]
            )
        report.findings.append(Finding(check, task, not problem, problem or ""))

    # Warm up once, so that caches an environment keeps on purpose (an index, a template)
    # exist before the clean-up baseline is taken.
    run("make", first.id, lambda: _warm_up(make, first, seed))
    if not report.ok:
        report.seconds = time.monotonic() - started
        return report
    with _resources_left_behind() as leaks:
        run("gymnasium", first.id, lambda: _gymnasium_checker(make(first)))
        run("tool_schemas", first.id, lambda: _tool_schemas(make, first))
        run("determinism", first.id, lambda: _determinism(make, first, seed))
        run("malformed_actions", first.id, lambda: _malformed_actions(make, first, seed))
        run("contract", first.id, lambda: _contract(make, loaded, seed))
        for task in loaded:
            run("gate", task.id, lambda task=task: _gate(make, task))
    run("cleanup", "", lambda: leaks())
    report.seconds = time.monotonic() - started
    return report


# -- the checks -------------------------------------------------------------------------------
def _warm_up(make: Callable[[Task], ToolEnv], task: Task, seed: int) -> str | None:
    env = make(task)
    try:
        env.prepare()
        env.reset(seed=seed)
    finally:
        env.close()
    return None


def _gymnasium_checker(env: ToolEnv) -> str | None:
    from gymnasium.utils.env_checker import check_env

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            check_env(env, skip_render_check=False)
    finally:
        env.close()
    noted = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    return "Gymnasium's checker warned:\n" + "\n".join(noted) if noted else None


def _schema_problems(schema: dict[str, Any], where: str) -> list[str]:
    """What is wrong with one JSON schema of a tool argument (a practical subset)."""
    problems = []
    kinds = schema.get("type")
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if kinds is None and alternatives is None and "enum" not in schema and "$ref" not in schema:
        problems.append(f"{where}: no type (nor anyOf/oneOf/enum/$ref)")
    for kind in kinds if isinstance(kinds, list) else [kinds] if kinds else []:
        if kind not in _JSON_TYPES:
            problems.append(f"{where}: unknown JSON type {kind!r}")
    for index, alternative in enumerate(alternatives or []):
        problems += _schema_problems(alternative, f"{where}.anyOf[{index}]")
    if isinstance(schema.get("items"), dict):
        problems += _schema_problems(schema["items"], f"{where}.items")
    return problems


def _tool_schemas(make: Callable[[Task], ToolEnv], task: Task) -> str | None:
    env = make(task)
    try:
        schemas = env.tool_schemas
        final_tools = set(type(env).final_tools)
    finally:
        env.close()
    problems = []
    if not schemas:
        problems.append("the environment declares no tools")
    names: list[str] = []
    for index, schema in enumerate(schemas):
        json.dumps(schema)  # must be plain JSON (chat templates and APIs serialise it)
        function = schema.get("function", {})
        name = function.get("name", "")
        names.append(name)
        where = f"tool {name or index!r}"
        if schema.get("type") != "function":
            problems.append(f"{where}: type must be 'function'")
        if not _TOOL_NAME.match(name):
            problems.append(f"{where}: name must match {_TOOL_NAME.pattern}")
        if not str(function.get("description", "")).strip():
            problems.append(f"{where}: no description (write a docstring)")
        parameters = function.get("parameters", {})
        if parameters.get("type") != "object":
            problems.append(f"{where}: parameters must be a JSON schema of type 'object'")
        properties = parameters.get("properties", {})
        for required in parameters.get("required", []):
            if required not in properties:
                problems.append(f"{where}: required argument {required!r} is not a property")
        for argument, argument_schema in properties.items():
            problems += _schema_problems(argument_schema, f"{where}.{argument}")
            if not str(argument_schema.get("description", "")).strip():
                problems.append(f"{where}.{argument}: no description (document it under Args:)")
        problems += _meta_schema_problems(parameters, where)
    if len(set(names)) != len(names):
        problems.append(f"tool names repeat: {names}")
    if not final_tools:
        problems.append("no final tool: the agent could never end an episode on purpose")
    missing = final_tools - set(names)
    if missing:
        problems.append(f"final_tools name tools that do not exist: {sorted(missing)}")
    return "\n".join(problems) or None


def _meta_schema_problems(parameters: dict[str, Any], where: str) -> list[str]:
    """The full JSON-schema meta-check, where ``jsonschema`` is installed (the dev extra)."""
    try:
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError
    except ImportError:
        return []
    try:
        Draft202012Validator.check_schema(parameters)
    except SchemaError as exc:
        return [f"{where}: parameters are not a valid JSON schema: {exc.message}"]
    return []


def _first_contact(env: ToolEnv, seed: int) -> str:
    observation, info = env.reset(seed=seed)
    stable = {key: value for key, value in info.items() if key not in _VOLATILE_INFO_KEYS}
    return observation + "\n" + json.dumps(stable, sort_keys=True, default=str)


def _oracle_outcome(env: ToolEnv, seed: int) -> tuple[float, int, bool]:
    from toolgym.agents.scripted import OraclePolicy
    from toolgym.rollout import run_episode

    episode = run_episode(env, OraclePolicy(), seed=seed)
    return episode.reward, episode.steps, episode.terminated


def _determinism(make: Callable[[Task], ToolEnv], task: Task, seed: int) -> str | None:
    problems = []
    one, two = make(task), make(task)
    try:
        first = _first_contact(one, seed)
        if _first_contact(one, seed) != first:
            problems.append("two resets with the same seed gave different observations or info")
        if _first_contact(two, seed) != first:
            problems.append("a fresh environment with the same seed gave a different start")
        runs = [_oracle_outcome(one, seed), _oracle_outcome(two, seed)]
        if runs[0] != runs[1]:
            problems.append(f"the oracle's (reward, steps, terminated) differ: {runs}")
    finally:
        one.close()
        two.close()
    return "\n".join(problems) or None


def _malformed_actions(env_factory: Callable[[Task], ToolEnv], task: Task, seed: int) -> str:
    env = env_factory(task)
    problems: list[str] = []
    try:
        for label, action, must_error in _bad_actions(env):
            if env._done:  # an earlier action ended the episode: start another
                env.reset(seed=seed)
            try:
                observation, reward, _, _, info = env.step(action)
            except Exception as exc:
                problems.append(f"{label}: step raised {type(exc).__name__}: {exc}")
                continue
            if not env.observation_space.contains(observation):
                problems.append(f"{label}: the observation is outside the observation space")
            if reward != 0:
                problems.append(f"{label}: earned reward {reward} without doing the task")
            results = info.get("tool_results", [])
            if must_error and not any(result.get("error") for result in results):
                problems.append(f"{label}: no error was reported to the agent")
    finally:
        env.close()
    return "\n".join(problems)


def _bad_actions(env: ToolEnv) -> Iterator[tuple[str, str, bool]]:
    """(label, action, must come back as an error) for junk and for each tool's misuse."""

    def call(name: str, arguments: Any) -> str:
        return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"

    env.reset()
    yield "empty message", "", True
    yield "prose without a call", "I think the answer is probably fine.", True
    yield "broken JSON", '<tool_call>{"name": "x", "arguments": {</tool_call>', True
    yield "binary junk", "\x00\x01\x02\xff\ufffe\ud800 <tool_call>\x00</tool_call>", True
    yield "deeply nested JSON", "<tool_call>" + "[" * 50_000 + "]" * 50_000 + "</tool_call>", True
    yield "giant message", "x" * (2 * MAX_ACTION_CHARS), True
    yield "unknown tool", call("no_such_tool_here", {}), True
    yield "arguments not an object", call(next(iter(env.tools)), "not an object"), True
    for name, spec in env.tools.items():
        properties = spec.parameters.get("properties", {})
        required = spec.parameters.get("required", [])
        if required:
            yield f"{name}: missing arguments", call(name, {}), True
        if properties:
            wrong = {argument: {"nested": [[{"x": None}]]} for argument in properties}
            yield f"{name}: wrong argument types", call(name, wrong), True
        plain = {
            argument: _EDGE_VALUES.get(_kind(properties[argument]), ["x"])[-1]
            for argument in required
        }
        if name not in env.final_tools:
            extra = {**plain, "no_such_argument_here": 1}
            yield f"{name}: unknown argument", call(name, extra), True
        for argument, schema in properties.items():  # right type, awkward value: no crash
            for value in _EDGE_VALUES.get(_kind(schema), []):
                label = f"{name}: {argument}={json.dumps(value)[:30]}"
                yield label, call(name, {**plain, argument: value}), False


def _kind(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    return kind if isinstance(kind, str) else ""


# Values of the right JSON type that tools often mishandle; the last one of each is ordinary.
_EDGE_VALUES: dict[str, list[Any]] = {
    "string": [
        "",
        " \n\t ",
        "\u202e\u0000\udcff" * 3,
        "../" * 40 + "etc/passwd",
        "y" * 100_000,
        "x",
    ],
    "integer": [-1, 2**63, 0, 1],
    "number": [-1e308, 1e308, -0.5, 1.0],
    "boolean": [True, False],
    "array": [[], [None] * 3, ["x"]],
    "object": [{}, {"": None}],
}


def _contract(make: Callable[[Task], ToolEnv], tasks: list[Task], seed: int) -> str | None:
    from toolgym.agents.scripted import NullPolicy
    from toolgym.rollout import run_episode

    problems = []
    env = make(tasks[0])
    try:
        run_episode(env, NullPolicy(), seed=seed)
        try:
            env.step(env.tools and "<tool_call>{}</tool_call>")
            problems.append("step after the episode ended did not raise ResetNeeded")
        except gym.error.ResetNeeded:
            pass
        if len(tasks) > 1:
            _, info = env.reset(seed=seed, options={"task": tasks[1]})
            if info.get("task_id") != tasks[1].id:
                problems.append(
                    f"reset(options={{'task': ...}}) ran task {info.get('task_id')!r}, "
                    f"not {tasks[1].id!r}"
                )
    finally:
        env.close()
        env.close()  # closing twice must be harmless
    return "\n".join(problems) or None


def _gate(make: Callable[[Task], ToolEnv], task: Task) -> str | None:
    from toolgym.check import CheckResult, gate_env
    from toolgym.scaffold import unfilled_markers

    result = CheckResult(task.id, problems=unfilled_markers(task.path))
    if result.problems:
        return "\n".join(result.problems)
    env = make(task)
    try:
        env.prepare()
        gate_env(env, result)
    finally:
        env.close()
    return "\n".join(result.problems) or None


# -- clean-up accounting ----------------------------------------------------------------------
def _descendants() -> dict[int, str]:
    """This process's descendant processes (zombies included): pid -> command line."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
    found: dict[int, str] = {}
    frontier = [os.getpid()]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                        found[pid] = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    found[pid] = "?"
                frontier.append(pid)
    return found


def _snapshot() -> tuple[dict[int, str], set[str], set[str]]:
    fds = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds.add(f"{fd} -> {os.readlink(f'/proc/self/fd/{fd}')}")
        except OSError:
            continue
    threads = {thread.name for thread in threading.enumerate() if not _pool_worker(thread)}
    return _descendants(), fds, threads


def _pool_worker(thread: threading.Thread) -> bool:
    """A ``ThreadPoolExecutor`` worker: shared pools keep idle workers for reuse, which is not
    a leak (their number is bounded by the pool)."""
    from concurrent.futures import thread as pool_threads

    return thread in getattr(pool_threads, "_threads_queues", {})


@contextmanager
def _resources_left_behind(grace: float = 5.0) -> Iterator[Callable[[], str | None]]:
    """Yields a function that reports what the block left behind (after ``grace`` seconds
    for background teardown to finish)."""
    processes, fds, threads = _snapshot()
    outcome: list[str | None] = [None]

    def report() -> str | None:
        return outcome[0]

    try:
        yield report
    finally:
        deadline = time.monotonic() + grace
        while True:
            now_processes, now_fds, now_threads = _snapshot()
            extra_processes = {p: c for p, c in now_processes.items() if p not in processes}
            extra_fds = now_fds - fds
            extra_threads = now_threads - threads
            if not (extra_processes or extra_fds or extra_threads):
                break
            if time.monotonic() > deadline:
                problems = [
                    f"process {p} left running: {c[:200]}" for p, c in extra_processes.items()
                ]
                problems += [f"file descriptor left open: {fd}" for fd in sorted(extra_fds)]
                problems += [f"thread left running: {name}" for name in sorted(extra_threads)]
                outcome[0] = "\n".join(problems)
                break
            time.sleep(0.05)
