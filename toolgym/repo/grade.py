"""Grade a repository episode in a way the agent cannot influence.

1. After every agent process is dead, the agent's change is taken as a diff against the base
   commit, computed over its final files with the *pristine* git metadata from the host (the
   agent's own ``.git``, hooks and config are never consulted);
2. on the host, that diff is filtered (:mod:`toolgym.repo.diff`): changes to tests, test
   configuration, interpreter hooks and the like are dropped;
3. the rest is applied to a pristine copy of the repository in a fresh sandbox (the template,
   with its untouched venv and tests), the task's hidden test patch is applied, and the tests
   run with a JUnit report written to a host directory bound in for that run only;
4. the report is parsed on the host per test id (stdout is never trusted). Reward 1 when every
   ``fail_to_pass`` test passes and every ``pass_to_pass`` test still passes, else 0.

Known limit: the code under test runs inside the test process, so a change to library code
written to subvert pytest from within is not detected by these checks.
"""

from __future__ import annotations

import os
import shlex
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgym.repo.diff import DroppedChange, filter_patch
from toolgym.repo.junit import PASSED, JUnitError, outcomes_for, parse_report, read_report
from toolgym.repo.prepare import PreparedRepo
from toolgym.sandbox import Sandbox
from toolgym.verifier import VerifierResult

GRADE_MOUNT = "/.toolgym-grade"
MAX_DIFF_BYTES = 16 * 1024 * 1024
DIFF_TIMEOUT = 180.0
_GIT = (
    "git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c core.autocrlf=false "
    "-c core.quotePath=true -c safe.directory='*' -c diff.noprefix=false"
)
_DIFF_SCRIPT = """\
set -u
out={mount}/out
export GIT_DIR={mount}/git GIT_WORK_TREE={workdir} GIT_INDEX_FILE=$out/index
export GIT_OBJECT_DIRECTORY=$out/objects GIT_ALTERNATE_OBJECT_DIRECTORIES={mount}/git/objects
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=/nonexistent GIT_OPTIONAL_LOCKS=0
mkdir -p "$out/objects"
cd {workdir} || {{ echo "TOOLGYM: the repository folder {workdir} is gone"; exit 3; }}
{git} read-tree {base} || exit 4
{git} add --all . || exit 5
{git} diff --cached --binary --full-index --no-renames --no-color --no-ext-diff \\
    --no-textconv {base} > "$out/agent.diff" || exit 6
"""
_TEST_SCRIPT = """\
set -u
cd {workdir} || exit 3
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
if [ -s {mount}/in/agent.diff ]; then
  {git} apply --whitespace=nowarn {mount}/in/agent.diff \\
    || {{ echo "TOOLGYM: the agent's diff does not apply to the base commit"; exit 90; }}
fi
if [ -s {mount}/in/test.patch ]; then
  {git} apply --whitespace=nowarn {mount}/in/test.patch \\
    || {{ echo "TOOLGYM: the task's test patch does not apply"; exit 91; }}
fi
{command} --junitxml={mount}/results/junit.xml -o junit_family=xunit1 -o junit_logging=no {files}
echo "TOOLGYM: the test command exited with $?"
exit 0
"""


@dataclass
class RepoVerifierResult(VerifierResult):
    """A repository grade: the reward plus each test's outcome and the diff that was tested."""

    tests: dict[str, dict[str, str]] = field(default_factory=dict)
    diff: str = ""
    dropped: list[DroppedChange] = field(default_factory=list)

    def to_info(self) -> dict[str, Any]:
        info = super().to_info()
        info["tests"] = self.tests
        info["diff"] = self.diff[:200_000]
        info["dropped"] = [d.to_info() for d in self.dropped]
        return info


def _private_dir(parent: Path, name: str) -> Path:
    path = parent / name
    path.mkdir()
    os.chmod(path, 0o777)  # the sandbox's root may map to another host uid (rootless)
    return path


def _read_diff(path: Path) -> str:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        if os.fstat(fd).st_size > MAX_DIFF_BYTES:
            raise ValueError(f"the agent's diff is larger than {MAX_DIFF_BYTES} bytes")
        data = os.read(fd, MAX_DIFF_BYTES + 1)
        while chunk := os.read(fd, 1 << 20):
            data += chunk
    finally:
        os.close(fd)
    return data.decode("utf-8", "surrogateescape")


def agent_diff(sandbox: Sandbox, repo: PreparedRepo, work: Path) -> tuple[str | None, str]:
    """The agent's whole change against the base commit (or None) and the run's output."""
    out = _private_dir(work, "diff-out")
    script = _DIFF_SCRIPT.format(
        mount=GRADE_MOUNT, workdir=shlex.quote(repo.workdir), base=repo.base_commit, git=_GIT
    )
    run = sandbox.run_isolated(
        ["/bin/bash", "-c", script],
        base="final",
        binds=[
            (str(repo.git_dir), f"{GRADE_MOUNT}/git", False),
            (str(out), f"{GRADE_MOUNT}/out", True),
        ],
        timeout=DIFF_TIMEOUT,
        workdir="/",
    )
    if run.timed_out or run.exit_code != 0:
        what = "timed out" if run.timed_out else f"failed ({run.exit_code})"
        return None, f"computing the agent's diff {what}:\n{run.output}"
    return _read_diff(out / "agent.diff"), run.output


def run_tests(
    sandbox: Sandbox, repo: PreparedRepo, kept_diff: str, work: Path, timeout: float
) -> tuple[Path, Any]:
    """Apply ``kept_diff`` and the hidden test patch to a pristine copy; run the tests."""
    inputs = _private_dir(work, "in")
    results = _private_dir(work, "results")
    (inputs / "agent.diff").write_text(kept_diff, encoding="utf-8", errors="surrogateescape")
    test_patch = repo.task.tests_dir / "test.patch"
    if test_patch.is_file():
        (inputs / "test.patch").write_bytes(test_patch.read_bytes())
    files = " ".join(shlex.quote(f) for f in repo.config.files_to_run())
    script = _TEST_SCRIPT.format(
        mount=GRADE_MOUNT,
        workdir=shlex.quote(repo.workdir),
        git=_GIT,
        command=repo.config.test_command,
        files=files,
    )
    run = sandbox.run_isolated(
        ["/bin/bash", "-c", script],
        base="template",
        binds=[
            (str(inputs), f"{GRADE_MOUNT}/in", False),
            (str(results), f"{GRADE_MOUNT}/results", True),
        ],
        timeout=timeout,
        env={"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"},
    )
    return results / "junit.xml", run


def grade_repo(sandbox: Sandbox, repo: PreparedRepo, timeout: float) -> RepoVerifierResult:
    """The full grade of one finished episode (see the module docstring)."""
    start = time.monotonic()
    config = repo.config
    with tempfile.TemporaryDirectory(prefix="toolgym-grade-") as tmp:
        work = Path(tmp)
        try:
            diff, diff_output = agent_diff(sandbox, repo, work)
        except (OSError, ValueError) as exc:
            diff, diff_output = None, str(exc)
        if diff is None:
            return RepoVerifierResult(
                0.0,
                reason="could not compute the agent's diff",
                output=diff_output,
                duration=time.monotonic() - start,
            )
        declared = [*config.test_paths]
        kept, _patches, dropped = filter_patch(diff, declared, repo.python_path)
        report, run = run_tests(sandbox, repo, kept, work, timeout)
        base: dict[str, Any] = {
            "exit_code": run.exit_code,
            "timed_out": run.timed_out,
            "output": run.output,
            "diff": kept,
            "dropped": dropped,
        }
        if run.timed_out:
            return RepoVerifierResult(
                0.0,
                reason=f"the tests timed out after {timeout:g}s",
                duration=time.monotonic() - start,
                **base,
            )
        if run.exit_code == 90:
            return RepoVerifierResult(
                0.0,
                reason="the agent's diff does not apply to a pristine checkout",
                duration=time.monotonic() - start,
                **base,
            )
        if run.exit_code == 91:
            return RepoVerifierResult(
                0.0,
                reason="the task's test patch does not apply (a broken task)",
                duration=time.monotonic() - start,
                **base,
            )
        try:
            cases = parse_report(read_report(report))
        except JUnitError as exc:
            return RepoVerifierResult(
                0.0, reason=str(exc), duration=time.monotonic() - start, **base
            )
    outcomes = outcomes_for(cases, config.test_ids)
    tests = {
        test_id: {
            "kind": "fail_to_pass" if test_id in config.fail_to_pass else "pass_to_pass",
            "outcome": outcome,
            **({"message": message[:500]} if message and outcome != PASSED else {}),
        }
        for test_id, (outcome, message) in outcomes.items()
    }
    f2p = [outcomes[t][0] == PASSED for t in config.fail_to_pass]
    p2p = [outcomes[t][0] == PASSED for t in config.pass_to_pass]
    reward = 1.0 if all(f2p) and all(p2p) else 0.0
    rewards = {
        "reward": reward,
        "fail_to_pass": sum(f2p) / len(f2p),
        "pass_to_pass": sum(p2p) / len(p2p) if p2p else 1.0,
    }
    reason = None
    if reward == 0.0:
        failing = [t for t in config.test_ids if outcomes[t][0] != PASSED]
        reason = f"{len(failing)} required test(s) did not pass, e.g. {failing[0]}"
    return RepoVerifierResult(
        reward, rewards, reason, duration=time.monotonic() - start, tests=tests, **base
    )
