"""SWE-smith-style bug generation: plant a bug in a real package, keep it if its own tests
catch it, and write a repository task whose issue describes only the failing behaviour.

1. Prepare the package (PyPI sdist or a local folder) as a template and run its test suite
   once in the sandbox with a small plugin that records which functions the tests call.
2. List mutation sites (:mod:`toolgym.repo.mutate`) in the called functions. Functions are
   split between ``train`` and ``test`` by a stable hash of their name, so a test-split bug
   never sits in a function that a train-split bug touched.
3. For each seed, shuffle that split's sites with ``Random(package, split seed)`` and try them
   in order: a mutant is applied to a pristine copy in a fresh sandbox and the whole suite
   runs. It is kept when at least one passing test now fails (at most ``max_failing``), no
   test errors at collection and the run ends in time.
4. Write the task: ``bug.patch`` (made part of the base commit), ``fix.patch`` (its reverse),
   ``fail_to_pass`` (the tests the bug breaks), ``pass_to_pass`` (every other passing test),
   and an issue naming the failing tests and their errors, never the bug's location.

The same package, split and seed always give the same task.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shlex
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgym.generate.base import split_seed
from toolgym.repo.config import DEFAULT_TEST_COMMAND
from toolgym.repo.diff import is_test_path
from toolgym.repo.fetch import normalize_name
from toolgym.repo.junit import (
    PASSED,
    JUnitError,
    TestCaseResult,
    outcomes_by_nodeid,
    parse_report,
    read_report,
)
from toolgym.repo.mutate import Mutation, Site, file_sites
from toolgym.repo.prepare import PreparedRepo, RepoPreparer, prepare_repo
from toolgym.repo.taskdir import RepoTaskSpec, write_repo_task
from toolgym.sandbox import ResourceLimits, Sandbox, SandboxBackend
from toolgym.task import Task, TaskConfig

GEN_MOUNT = "/.toolgym-gen"
PLUGIN = Path(__file__).with_name("calls_plugin.py")
TEST_SHARE = 3  # of 10: the share of functions whose bugs belong to the test split
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")
_LOCATION = re.compile(r"(/testbed/)?[\w./-]+\.py(:\d+)?")


class GenerateError(RuntimeError):
    """The package cannot be used for bug generation (no passing tests, nothing to mutate)."""


@dataclass(frozen=True)
class PackageSource:
    """What to plant bugs in: a PyPI ``package==version`` or a local folder."""

    package: str | None = None
    version: str | None = None
    path: Path | None = None

    @classmethod
    def parse(cls, spec: str) -> PackageSource:
        name, sep, version = spec.partition("==")
        if not sep or not name.strip() or not version.strip():
            raise ValueError(f"--package: expected NAME==VERSION, got {spec!r}")
        return cls(package=name.strip(), version=version.strip())

    @property
    def label(self) -> str:
        if self.package:
            return f"{self.package}=={self.version}"
        assert self.path is not None
        return self.path.name

    @property
    def display(self) -> str:
        return f"{self.package} {self.version}" if self.package else self.label

    @property
    def slug(self) -> str:
        return normalize_name(self.package or (self.path.name if self.path else "repo"))

    def repo_section(self, sha256: str | None = None) -> dict[str, Any]:
        if self.package:
            return {"package": self.package, "version": self.version, "sha256": sha256}
        return {"path": str(self.path)}


@dataclass
class SuiteRun:
    """One run of the whole test suite (baseline or with a mutant)."""

    cases: dict[str, TestCaseResult]
    output: str
    timed_out: bool = False
    duration: float = 0.0
    calls: dict[str, list[int]] = field(default_factory=dict)

    def passed(self) -> list[str]:
        return [test_id for test_id, case in self.cases.items() if case.outcome == PASSED]


class SuiteRunner:
    """Runs a package's whole test suite over pristine copies of its template."""

    def __init__(self, prepared: PreparedRepo, backend: SandboxBackend, timeout: float) -> None:
        self.prepared = prepared
        self.timeout = timeout
        self.sandbox: Sandbox = backend.create(prepared.template, ResourceLimits())

    def close(self) -> None:
        self.sandbox.close()

    def run(self, mutation: Mutation | None = None, record_calls: bool = False) -> SuiteRun:
        workdir = self.prepared.workdir
        with tempfile.TemporaryDirectory(prefix="toolgym-gen-") as tmp:
            work = Path(tmp)
            (work / "in").mkdir()
            (work / "out").mkdir()
            (work / "out").chmod(0o777)
            lines = ["set -u", f"cd {shlex.quote(workdir)} || exit 3"]
            if mutation is not None:
                (work / "in" / "mutant").write_text(mutation.after, encoding="utf-8")
                lines.append(f"cp {GEN_MOUNT}/in/mutant {shlex.quote(mutation.file)} || exit 4")
            env = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
            plugin = ""
            if record_calls:
                (work / "in" / "toolgym_calls.py").write_bytes(PLUGIN.read_bytes())
                env.update(
                    PYTHONPATH=f"{GEN_MOUNT}/in",
                    TOOLGYM_CALLS_ROOT=workdir,
                    TOOLGYM_CALLS_OUT=f"{GEN_MOUNT}/out/calls.json",
                )
                plugin = "-p toolgym_calls"
            lines.append(
                f"{DEFAULT_TEST_COMMAND} -q {plugin} --junitxml={GEN_MOUNT}/out/junit.xml "
                "-o junit_family=xunit1 -o junit_logging=no; exit 0"
            )
            result = self.sandbox.run_isolated(
                ["/bin/bash", "-c", "\n".join(lines)],
                base="template",
                binds=[
                    (str(work / "in"), f"{GEN_MOUNT}/in", False),
                    (str(work / "out"), f"{GEN_MOUNT}/out", True),
                ],
                timeout=self.timeout,
                env=env,
            )
            if result.timed_out:
                return SuiteRun({}, result.output, timed_out=True)
            try:
                cases = parse_report(read_report(work / "out" / "junit.xml"))
            except JUnitError:
                return SuiteRun({}, result.output)
            calls: dict[str, list[int]] = {}
            if record_calls and (work / "out" / "calls.json").is_file():
                calls = json.loads((work / "out" / "calls.json").read_text())
        return SuiteRun(
            outcomes_by_nodeid(cases, self.prepared.repo_dir),
            result.output,
            duration=result.duration,
            calls=calls,
        )


def function_split(source: PackageSource, site: Site) -> str:
    """``train`` or ``test`` for the function a site is in (stable across runs)."""
    digest = hashlib.sha256(f"{source.slug}:{site.file}:{site.function}".encode()).digest()
    return "test" if digest[0] % 10 < TEST_SHARE else "train"


def mutation_sites(prepared: PreparedRepo, calls: dict[str, list[int]]) -> list[Site]:
    """Sites in the package's own (non-test) functions that the test suite calls."""
    repo = prepared.repo_dir
    sites: list[Site] = []
    for rel, lines in sorted(calls.items()):
        path = repo / rel
        if not rel.endswith(".py") or is_test_path(rel) or not path.is_file():
            continue
        roots = [r for r in prepared.python_path if r in (".", "")] or list(prepared.python_path)
        if not any(r in (".", "") or rel.startswith(r.rstrip("/") + "/") for r in roots):
            continue
        sites.extend(file_sites(rel, path.read_text(encoding="utf-8"), set(lines)))
    return sites


def _hide_source_location(match: re.Match[str]) -> str:
    path = match.group(0).removeprefix("/testbed/").split(":", 1)[0]
    return path if is_test_path(path) else "<file>"


def clean_message(message: str) -> str:
    """A failure message fit for an issue: first lines, no addresses, no source locations."""
    text = _ADDRESS.sub("0x...", message.strip())
    text = _LOCATION.sub(_hide_source_location, text)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first[:200] + (" ..." if len(first) > 200 else "")


def issue_text(source: PackageSource, failing: list[tuple[str, str]]) -> str:
    """An issue report naming the failing tests and their errors (never where the bug is)."""
    first = failing[0][0].rsplit("::", 1)[-1]
    others = len(failing) - 1
    title = f"`{first}` fails" + (
        f" (and {others} other test{'s' if others > 1 else ''})" if others else ""
    )
    shown = failing[:6]
    lines = [
        title,
        "",
        f"Running the test suite of {source.display} on this checkout, these tests fail:",
        "",
    ]
    for test_id, message in shown:
        lines.append(f"- `{test_id}`" + (f": `{message}`" if message else ""))
    if len(failing) > len(shown):
        lines.append(f"- ... and {len(failing) - len(shown)} more")
    command = " ".join(shlex.quote(t) for t, _ in shown[:3])
    lines += [
        "",
        f"Reproduce with `python -m pytest {command}`.",
        "",
        "The tests describe the intended behaviour and every other test passes. Please fix "
        "the library so that these tests pass again (the tests themselves are correct).",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Verdict:
    accepted: bool
    why: str
    fail_to_pass: list[str] = field(default_factory=list)
    messages: dict[str, str] = field(default_factory=dict)


def judge(baseline: SuiteRun, run: SuiteRun, max_failing: int) -> Verdict:
    if run.timed_out:
        return Verdict(False, "the tests timed out")
    if not run.cases:
        return Verdict(False, "no test report (the mutant broke the test run)")
    before = baseline.passed()
    missing = [t for t in before if t not in run.cases]
    if missing:
        return Verdict(False, f"{len(missing)} test(s) no longer collected (import-time failure)")
    failing = [t for t in before if run.cases[t].outcome != PASSED]
    if not failing:
        return Verdict(False, "no test fails")
    if len(failing) > max_failing or len(failing) > len(before) // 2:
        return Verdict(False, f"{len(failing)} tests fail (too broad a break)")
    messages = {t: clean_message(run.cases[t].message) for t in failing}
    return Verdict(True, "ok", failing, messages)


def _base_task(source: PackageSource, folder: Path) -> Task:
    config = TaskConfig.model_validate(
        {
            "toolgym": {"environment": "repo"},
            "environment": {"build_timeout_sec": 900},
            "repo": {**source.repo_section(), "fail_to_pass": ["(baseline)"]},
        }
    )
    return Task(path=folder, config=config, instruction="baseline")


def generate_repo_tasks(
    source: PackageSource,
    seeds: range,
    split: str,
    out: Path,
    backend: SandboxBackend,
    preparer: RepoPreparer | None = None,
    max_tries: int = 40,
    max_failing: int = 25,
    log: Callable[[str], None] = lambda _line: None,
) -> list[Path]:
    """Write one task per seed that yields an accepted bug (see the module docstring)."""
    for seed in (seeds.start, seeds.stop - 1):
        split_seed(split, seed)
    with tempfile.TemporaryDirectory(prefix="toolgym-gen-task-") as folder:
        prepared = prepare_repo(_base_task(source, Path(folder)), backend, preparer)
    runner = SuiteRunner(prepared, backend, timeout=600)
    written: list[Path] = []
    try:
        baseline = runner.run(record_calls=True)
        passing = baseline.passed()
        if not passing:
            raise GenerateError(
                f"{source.label}: no test passes in the sandbox:\n{baseline.output[-2000:]}"
            )
        # A mutant may loop forever: allow a generous multiple of the (profiled) baseline.
        runner.timeout = max(30.0, 5 * baseline.duration)
        sites = [
            s
            for s in mutation_sites(prepared, baseline.calls)
            if function_split(source, s) == split
        ]
        if not sites:
            raise GenerateError(f"{source.label}: no mutation site in called functions ({split})")
        log(f"{source.label}: {len(passing)} passing tests, {len(sites)} {split} sites")
        verdicts: dict[str, Verdict] = {}
        for seed in seeds:
            rng = random.Random(f"{source.slug}=={source.version}/{split_seed(split, seed)}")
            order = sorted(sites, key=lambda s: s.sort_key)
            rng.shuffle(order)
            for site in order[:max_tries]:
                mutation = site.build()
                if mutation is None:
                    continue
                if mutation.key not in verdicts:
                    verdicts[mutation.key] = judge(baseline, runner.run(mutation), max_failing)
                verdict = verdicts[mutation.key]
                log(
                    f"  seed {seed}: {mutation.operator} {mutation.file}:{mutation.line} "
                    f"-> {verdict.why}"
                )
                if verdict.accepted:
                    written.append(
                        _write(source, prepared, split, seed, mutation, verdict, passing, out)
                    )
                    break
            else:
                log(f"  seed {seed}: no accepted bug in {max_tries} tries")
    finally:
        runner.close()
    return written


def _write(
    source: PackageSource,
    prepared: PreparedRepo,
    split: str,
    seed: int,
    mutation: Mutation,
    verdict: Verdict,
    passing: list[str],
    out: Path,
) -> Path:
    failing = verdict.fail_to_pass
    repo = {
        **source.repo_section(prepared.sdist_sha256),
        "fail_to_pass": failing,
        "pass_to_pass": [t for t in passing if t not in failing],
    }
    metadata = {
        "difficulty": "easy" if len(failing) >= 3 else "medium",
        "tags": ["generated", "mutation", mutation.operator],
        "author_name": "toolgym generator",
        "family": "repo-mutation",
        "split": split,
        "seed": seed,
        "operator": mutation.operator,
    }
    spec = RepoTaskSpec(
        name=f"{source.slug}-{split}-{seed:06d}",
        instruction=issue_text(source, [(t, verdict.messages.get(t, "")) for t in failing]),
        repo=repo,
        fix_patch=mutation.fix_patch(),
        bug_patch=mutation.bug_patch(),
        metadata=metadata,
    )
    return write_repo_task(spec, out)
