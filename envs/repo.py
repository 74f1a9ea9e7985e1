"""``RepoEnv`` (``toolgym/Repo-v0``): fix an issue in a real code repository.

The workspace is a git repository at its base commit (``/testbed`` by default) with a test venv
on ``PATH``. The agent reads the issue and works with ``bash``, ``view``, ``edit``, ``create``
and ``submit``; the file tools run inside the sandbox (a helper script shipped into the
template), never on host paths. Grading ignores everything the agent says and every test file
it touched: see :mod:`toolgym.repo.grade`.

Sandbox, shell session, tool-call parsing and budgets are :class:`ShellEnv`'s; this class adds
how a repository task is prepared and graded, and the file tools.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from toolgym.envs.base import ToolOutput
from toolgym.envs.shell import ShellEnv

from toolgym.repo.config import RepoConfig, repo_config
from toolgym.repo.grade import grade_repo
from toolgym.repo.prepare import EDITOR_PATH, PreparedRepo, RepoPreparer, prepare_repo
from toolgym.sandbox import SandboxBackend, Template, limits_for
from toolgym.shell import DEFAULT_MAX_OUTPUT_BYTES
from toolgym.task import Task
from toolgym.toolcalls import ToolCall
from toolgym.tools import tool
from toolgym.verifier import VerifierResult

FIX_PATCH = Path("solution") / "fix.patch"
FILE_TOOL_TIMEOUT = 60.0
# The gate's hacker agent on a repository task: every way to pass tests without fixing the
# code that the grader must see through (none may earn reward).
REPO_HACKER_PROBES = r"""
set +e
cd "$REPO"
plugin='import pytest
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
'
fake='<?xml version="1.0"?><testsuites><testsuite name="pytest" tests="0"></testsuite></testsuites>'
for f in $(git ls-files | grep -E '(^|/)(tests?|testing)/|(^|/)test_[^/]*[.]py$|_test[.]py$'); do
  printf 'def test_ok():\n    assert True\n' > "$f"
done
for dir in . tests src; do
  mkdir -p "$dir" && printf '%s' "$plugin" > "$dir/conftest.py"
done
printf '%s' "$plugin" > toolgym_pass.py
printf '[pytest]\naddopts = -p toolgym_pass\n' > pytest.ini
printf '[tool:pytest]\naddopts = -p toolgym_pass\n' >> setup.cfg
printf '[pytest]\naddopts = -p toolgym_pass\n' >> tox.ini
printf '\n[tool.pytest.ini_options]\naddopts = "-p toolgym_pass"\n' >> pyproject.toml
for dir in . src; do
  printf 'import sys\nsys.argv[1:] = ["-p", "toolgym_pass"] + sys.argv[1:]\n' \
    | tee "$dir/sitecustomize.py" > "$dir/usercustomize.py"
  echo 'import toolgym_pass' > "$dir/zz_toolgym.pth"
done
printf 'import sys\nsys.exit(0)\n' > pytest.py
mkdir -p _pytest && printf 'raise SystemExit(0)\n' > _pytest/__init__.py
for report in junit.xml report.xml results/junit.xml /.toolgym-grade/results/junit.xml; do
  mkdir -p "$(dirname "$report")" && printf '%s' "$fake" > "$report"
done
site=$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s' "$plugin" > "$site/toolgym_pass.py"
echo 'import toolgym_pass' > "$site/zz_toolgym.pth"
printf '%s' "$plugin" >> "$site/_pytest/junitxml.py"
echo 'export PYTEST_ADDOPTS="-p toolgym_pass"' >> /root/.bashrc
git add -A && git -c user.name=x -c user.email=x@x commit -qm tamper
git tag -f base HEAD && printf '#!/bin/sh\nexit 0\n' > .git/hooks/pre-commit
git config core.fsmonitor 'echo'
echo repo-probes-done
"""


def oracle_patch_command(task: Task, workdir: str) -> str:
    """The shell command that applies ``solution/fix.patch`` in the repository."""
    patch = task.path / FIX_PATCH
    if not patch.is_file():
        raise FileNotFoundError(f"{patch}: missing (the oracle needs it)")
    payload = base64.b64encode(patch.read_bytes()).decode("ascii")
    return f"cd {workdir} && printf '%s' '{payload}' | base64 -d | git apply --whitespace=nowarn -"


class RepoEnv(ShellEnv):
    """A repository task: fix the issue, graded by the task's tests on a pristine copy.

    Takes :class:`ShellEnv`'s arguments, plus ``preparer`` (where repositories and test
    environments are cached; the process-wide default when omitted).
    """

    def __init__(
        self,
        task: str | Path | Task,
        *,
        max_steps: int = 50,
        command_timeout: float = 180.0,
        no_output_timeout: float | None = None,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
        backend: str | SandboxBackend = "bwrap",
        prewarm: bool = True,
        agent_timeout: float | None = None,
        render_mode: str | None = None,
        preparer: RepoPreparer | None = None,
    ) -> None:
        super().__init__(
            task,
            max_steps=max_steps,
            command_timeout=command_timeout,
            no_output_timeout=no_output_timeout,
            max_output_bytes=max_output_bytes,
            backend=backend,
            prewarm=prewarm,
            agent_timeout=agent_timeout,
            render_mode=render_mode,
        )
        self.preparer = preparer
        self._prepared: dict[Path, PreparedRepo] = {}

    # -- preparation ------------------------------------------------------------------------
    @property
    def config(self) -> RepoConfig:
        return repo_config(self.task)

    def prepared(self, task: Task | None = None) -> PreparedRepo:
        """The task's repository and template (built once, cached on disk by content)."""
        task = task or self.task
        if task.path not in self._prepared:
            self._prepared[task.path] = prepare_repo(task, self.backend, self.preparer)
        return self._prepared[task.path]

    def template(self) -> Template:
        return self.prepared().template

    def prime(self, task: Task) -> None:
        self._spare.prime(self.prepared(task).template, limits_for(task))

    def instruction(self) -> str:
        workdir = self.config.workdir
        return (
            f"The git repository at {workdir} has the issue below. Change the code so that "
            "the issue is resolved; the project's tests are run afterwards (changes to test "
            "files are not used). Call submit when you are done.\n\n"
            f"<issue>\n{self.task.instruction.strip()}\n</issue>"
        )

    # -- grading ----------------------------------------------------------------------------
    def _grade(self) -> VerifierResult:
        assert self.sandbox is not None
        return grade_repo(self.sandbox, self.prepared(), self.task.config.verifier.timeout_sec)

    # -- tools ------------------------------------------------------------------------------
    def _file_tool(self, request: dict[str, Any]) -> ToolOutput:
        """Run the in-sandbox helper with one request (base64 JSON on its stdin)."""
        assert self.sandbox is not None
        request["root"] = self.config.workdir
        payload = base64.b64encode(json.dumps(request).encode()).decode("ascii")
        command = f"printf '%s' '{payload}' | command /usr/bin/python3 -I -S {EDITOR_PATH}"
        limit = min(FILE_TOOL_TIMEOUT, max(self.remaining_time(), 0.001))
        result = self.sandbox.open_shell().run(
            command, timeout=limit, max_output_bytes=self.max_output_bytes
        )
        text = result.output.rstrip("\n")
        if result.cutoff:
            text += f"\n[the {request['op']} tool was interrupted ({result.cutoff})]"
        elif result.exit_code not in (0, 1):
            text = f"Error: the {request['op']} tool failed (exit {result.exit_code}): {text}"
        return ToolOutput(text, result.exit_code)

    @tool
    def view(
        self, path: str, start_line: int | None = None, end_line: int | None = None
    ) -> ToolOutput:
        """Show a file with line numbers (at most 400 lines per call), or list a directory.

        Args:
            path: file or directory; relative paths start at the repository root.
            start_line: first line to show (1-based; default 1).
            end_line: last line to show (inclusive; -1 or omitted: to the end).
        """
        return self._file_tool(
            {"op": "view", "path": path, "start_line": start_line, "end_line": end_line}
        )

    @tool
    def edit(self, path: str, old: str, new: str) -> ToolOutput:
        """Replace the exact text ``old`` with ``new`` in a file; ``old`` must occur exactly once.

        Args:
            path: the file; relative paths start at the repository root.
            old: the exact text to replace, whitespace and indentation included.
            new: the replacement text.
        """
        return self._file_tool({"op": "edit", "path": path, "old": old, "new": new})

    @tool
    def create(self, path: str, content: str) -> ToolOutput:
        """Write a file with the given content (parent folders are created; an existing file
        is overwritten).

        Args:
            path: the file; relative paths start at the repository root.
            content: the whole content of the file.
        """
        return self._file_tool({"op": "create", "path": path, "content": content})

    # -- reference agents -------------------------------------------------------------------
    @classmethod
    def hacker_calls(cls, task: Task) -> list[ToolCall]:
        """The shell probes (reward files, replaced interpreters, ...) and the repository
        probes (edited tests, forcing conftest, plugins, start-up hooks, fake reports)."""
        calls = super().hacker_calls(task)[:-1]  # the shell probes, without their submit
        workdir = repo_config(task).workdir
        command = f"REPO={workdir}\n{REPO_HACKER_PROBES}"
        return [ToolCall("bash", {"command": command, "timeout": 120}), *calls, cls.null_call()]

    @classmethod
    def oracle_call(cls, task: Task, turn: int) -> ToolCall:
        """Apply ``solution/fix.patch`` with git through the bash tool, then submit."""
        if turn == 0:
            workdir = repo_config(task).workdir
            return ToolCall("bash", {"command": oracle_patch_command(task, workdir)})
        return ToolCall("submit", {})
