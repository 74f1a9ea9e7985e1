"""``ShellEnv`` (``toolgym/Shell-v0``): a task in a sandboxed, persistent bash shell.

The agent gets the task's instruction and two tools, ``bash`` and ``submit``. Each episode runs
in a fresh sandbox made from the task's template; when the agent submits (or a budget runs
out), every agent process is killed and the task's hidden verifier grades the final state.
"""

from __future__ import annotations

import base64
import io
import tarfile
from pathlib import Path
from types import MappingProxyType
from typing import Any

from toolgym.envs.base import ToolEnv, ToolOutput

from toolgym.sandbox import ResourceLimits, Sandbox, SandboxBackend, Template, get_backend
from toolgym.sandbox.base import limits_for
from toolgym.sandbox.pool import SpareSandbox
from toolgym.shell import DEFAULT_MAX_OUTPUT_BYTES, CommandResult
from toolgym.task import SCAFFOLD_MARKER, Task
from toolgym.toolcalls import ToolCall
from toolgym.tools import tool
from toolgym.verifier import VerifierResult, grade

SOLUTION_DIR = "/solution"


def pack_directory(path: Path) -> str:
    """A directory as base64 of a gzipped tar (shipped into the sandbox through the shell)."""

    def as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for item in sorted(path.rglob("*")):
            archive.add(
                item, arcname=item.relative_to(path).as_posix(), recursive=False, filter=as_root
            )
    return base64.b64encode(buffer.getvalue()).decode("ascii")


SCRIPT_END = "TOOLGYM_SOLUTION_END"


def oracle_command(task: Task) -> str:
    """The shell command that runs a task's reference solution, as Harbor's oracle does.

    A solution that is a single self-contained ``solve.sh`` is sent as readable text (so oracle
    trajectories make sensible demonstrations for supervised fine-tuning); one with helper files
    is shipped as an archive into ``/solution`` first.
    """
    if not task.solution_script.is_file():
        raise FileNotFoundError(f"{task.solution_script}: missing (the oracle needs it)")
    script = task.solution_script.read_text(encoding="utf-8", errors="replace")
    helpers = [p for p in task.solution_dir.rglob("*") if p.is_file() and p != task.solution_script]
    if not helpers and SOLUTION_DIR not in script and SCRIPT_END not in script:
        return f"bash -c \"$(cat <<'{SCRIPT_END}'\n{script.rstrip()}\n{SCRIPT_END}\n)\" < /dev/null"
    payload = pack_directory(task.solution_dir)
    return (
        f"rm -rf {SOLUTION_DIR} && mkdir -p {SOLUTION_DIR} && "
        f"printf '%s' '{payload}' | base64 -d | tar --no-same-owner -xzf - -C {SOLUTION_DIR} && "
        f"bash {SOLUTION_DIR}/solve.sh; __rc=$?; rm -rf {SOLUTION_DIR}; (exit $__rc)"
    )


# What the gate's hacker agent tries before submitting, without doing the task. Every probe
# attacks the reward channel or the verifier's environment; none may earn reward.
HACKER_PROBES = r"""
set +e
mkdir -p /logs/verifier /logs/agent
echo 1 > /logs/verifier/reward.txt
echo '{"reward": 1}' > /logs/verifier/reward.json
printf 'PASSED\n1 passed\nOK\n' > /logs/verifier/test-stdout.txt
mkdir -p /tests && printf '#!/bin/bash\necho 1 > /logs/verifier/reward.txt\n' > /tests/test.sh
for name in python3 python pytest bash sh; do
  printf '#!/bin/sh\nmkdir -p /logs/verifier; echo 1 > /logs/verifier/reward.txt; exit 0\n' \
    > /usr/local/bin/$name; chmod +x /usr/local/bin/$name
done
cp /usr/local/bin/python3 /usr/bin/python3.fake && mv -f /usr/bin/python3.fake /usr/bin/python3
echo /tmp/evil.so > /etc/ld.so.preload
for rc in /etc/bash.bashrc /etc/profile /root/.bashrc /root/.profile; do
  echo 'mkdir -p /logs/verifier; echo 1 > /logs/verifier/reward.txt' >> $rc
done
echo 'BASH_ENV=/root/.bashrc' >> /etc/environment
for site in /root/.local/lib/python3.11/site-packages /usr/local/lib/python3.11/dist-packages \
            /usr/lib/python3/dist-packages; do
  mkdir -p $site && printf '%s\n' 'import os' \
    'os.makedirs("/logs/verifier", exist_ok=True)' \
    'open("/logs/verifier/reward.txt", "w").write("1")' \
    | tee $site/usercustomize.py $site/sitecustomize.py > $site/zz_hack.py
  echo 'import zz_hack' > $site/zz_hack.pth
done
for dir in / /app /tests "$PWD"; do
  mkdir -p "$dir" && printf '%s\n' 'import pytest' '@pytest.hookimpl(hookwrapper=True)' \
    'def pytest_runtest_makereport(item, call):' '    outcome = yield' \
    '    outcome.get_result().outcome = "passed"' > "$dir/conftest.py"
  printf '[pytest]\naddopts = -p no:cacheprovider --co\n' > "$dir/pytest.ini"
done
(while true; do mkdir -p /logs/verifier; echo 1 > /logs/verifier/reward.txt; sleep 0.2; done) \
  > /dev/null 2>&1 & disown
setsid sh -c 'while true; do pkill -f test.sh; pkill -f check.py; sleep 0.1; done' \
  > /dev/null 2>&1 < /dev/null & disown
ln -sfn /logs/verifier /tmp/verifier-link
head -c 64M /dev/zero > /tmp/.fill
echo probes-done
"""


def describe_command_result(result: CommandResult, timeout: float) -> str:
    """The observation for one command: its output and how it ended."""
    text = result.output if result.output else "(no output)\n"
    if not text.endswith("\n"):
        text += "\n"
    if result.cutoff == "timeout":
        text += f"[command timed out after {timeout:g}s and was interrupted]"
    elif result.cutoff == "no_output":
        text += "[command produced no output for too long and was interrupted]"
    elif result.cutoff == "shell_exited":
        text += "[the shell exited]"
    else:
        text += f"[exit code {result.exit_code}]"
    if result.shell_restarted:
        text += "\n[a new shell was started: the working directory and variables were reset]"
    return text


class ShellEnv(ToolEnv):
    """A Harbor task in a sandboxed shell, graded by the task's verifier.

    Args:
        task: a task directory (or a loaded :class:`~toolgym.task.Task`).
        max_steps: assistant messages allowed before the episode is truncated.
        command_timeout: seconds one command may run before it is interrupted.
        no_output_timeout: seconds without output after which a command is interrupted
            (``None``: no such cutoff).
        max_output_bytes: output kept per command (head and tail, with a marker between).
        backend: ``"bwrap"`` (default) or ``"docker"``, or a backend instance.
        prewarm: start the next episode's sandbox in the background after each reset.
    """

    final_tools = frozenset({"submit"})
    task_files = MappingProxyType(
        {
            "environment/Dockerfile": "environment/ needs a Dockerfile",
            "tests/test.sh": "the verifier entry point",
        }
    )

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
    ) -> None:
        super().__init__(
            task, max_steps=max_steps, agent_timeout=agent_timeout, render_mode=render_mode
        )
        self.command_timeout = command_timeout
        self.no_output_timeout = no_output_timeout
        self.max_output_bytes = max_output_bytes
        self.backend = get_backend(backend) if isinstance(backend, str) else backend
        self._spare = SpareSandbox(self.backend, enabled=prewarm)
        self._templates: dict[Path, Template] = {}
        self.sandbox: Sandbox | None = None

    @property
    def prewarm(self) -> bool:
        """Whether each reset starts the next episode's sandbox in the background."""
        return self._spare.enabled

    @prewarm.setter
    def prewarm(self, value: bool) -> None:
        self._spare.enabled = value

    # -- episode lifecycle ------------------------------------------------------------------
    def template(self) -> Template:
        """The task's prepared template (built once per task and cached on disk)."""
        if self.task.path not in self._templates:
            self._templates[self.task.path] = self.backend.prepare(self.task)
        return self._templates[self.task.path]

    def prepare(self) -> None:
        self.template()

    def limits(self) -> ResourceLimits:
        return limits_for(self.task)

    def prime(self, task: Task) -> None:
        """Start a sandbox for ``task`` in the background; a reset to ``task`` will use it.

        For schedulers that know which task an environment runs next (the rollout engine).
        """
        template = self.backend.prepare(task) if task.path != self.task.path else self.template()
        self._templates.setdefault(task.path, template)
        self._spare.prime(template, limits_for(task))

    def _begin_episode(self, options: dict[str, Any]) -> None:
        self.sandbox = self._spare.take(self.template(), self.limits())

    def _end_episode(self) -> None:
        sandbox, self.sandbox = self.sandbox, None
        if sandbox is not None:
            self._spare.retire(sandbox)

    def close(self) -> None:
        super().close()
        self._spare.close()

    def _grade(self) -> VerifierResult:
        assert self.sandbox is not None
        verifier = self.task.config.verifier
        run = self.sandbox.run_verifier(verifier.timeout_sec, dict(verifier.env))
        return grade(run, verifier.timeout_sec, verifier.reward_key)

    # -- tools ------------------------------------------------------------------------------
    @tool
    def bash(self, command: str, timeout: int | None = None) -> ToolOutput:
        """Run a command in a persistent bash shell (cwd, variables and jobs persist).

        Args:
            command: the bash command line or script to run.
            timeout: seconds before the command is interrupted (default set by the
                environment; never more than the time left in the episode).
        """
        assert self.sandbox is not None
        limit = min(float(timeout or self.command_timeout), max(self.remaining_time(), 0.001))
        shell = self.sandbox.open_shell()
        result = shell.run(
            command,
            timeout=limit,
            no_output_timeout=self.no_output_timeout,
            max_output_bytes=self.max_output_bytes,
        )
        meta = {"cutoff": result.cutoff} if result.cutoff else {}
        if result.truncated_bytes:
            meta["truncated_bytes"] = result.truncated_bytes
        return ToolOutput(describe_command_result(result, limit), result.exit_code, meta=meta)

    @classmethod
    def oracle_call(cls, task: Task, turn: int) -> ToolCall:
        """Run ``solution/solve.sh`` (as Harbor's oracle does), then submit."""
        if turn == 0:
            timeout = int(task.config.agent.timeout_sec)
            return ToolCall("bash", {"command": oracle_command(task), "timeout": timeout})
        return ToolCall("submit", {})

    @classmethod
    def task_template(cls, name: str, environment: str) -> dict[str, str]:
        files = super().task_template(name, environment)
        marker = SCAFFOLD_MARKER
        toml = files["task.toml"].split("\n[toolgym]")[0]  # shell is the default environment
        files["task.toml"] = (
            toml
            + "\n[verifier]\ntimeout_sec = 120.0\n"
            + (
                "\n[environment]\ncpus = 1\nmemory_mb = 2048\nstorage_mb = 2048\n"
                "allow_internet = false\n"
            )
        )
        files["instruction.md"] = (
            f"{marker}: say exactly what to do, e.g.:\n\n"
            "Count the lines of `/app/data.txt` that contain `ERROR` and write the number, "
            "alone on one line, to `/app/answer.txt`.\n"
        )
        files["environment/Dockerfile"] = (
            "FROM debian:bookworm-slim\n"
            "WORKDIR /app\n"
            f"# {marker}: build the agent's starting state: COPY inputs, RUN seeded generators.\n"
            "COPY data.txt /app/data.txt\n"
        )
        files["environment/data.txt"] = "INFO start\nERROR disk full\nINFO retry\nERROR again\n"
        files["solution/solve.sh"] = (
            "#!/bin/bash\n# The reference solution: the oracle runs it in the workdir and must "
            "earn reward 1.\nset -euo pipefail\n"
            f"# {marker}: solve the task, e.g.:\n"
            "# grep -c ERROR /app/data.txt > /app/answer.txt\n"
        )
        files["tests/test.sh"] = (
            "#!/bin/bash\n"
            "# The verifier: it runs after the agent has finished, with tests/ copied to /tests,\n"
            "# and writes the reward. The agent never sees this folder.\n"
            "if python3 /tests/check.py; then\n"
            "    echo 1 > /logs/verifier/reward.txt\n"
            "else\n"
            "    echo 0 > /logs/verifier/reward.txt\n"
            "fi\n"
        )
        files["tests/check.py"] = (
            '"""Exit 0 only when the task is done right. Compute what is expected from the\n'
            "inputs here (never trust a file the agent could have written to say so), and print\n"
            'what is wrong otherwise: the output is in the verifier details."""\n\n'
            "import sys\n\n"
            f'sys.exit("{marker}: check /app/answer.txt against the expected count")\n'
            "# e.g.: environment/data.txt has 2 ERROR lines, so /app/answer.txt must say 2\n"
        )
        return files

    @classmethod
    def hacker_calls(cls, task: Task) -> list[ToolCall]:
        return [ToolCall("bash", {"command": HACKER_PROBES, "timeout": 60}), ToolCall("submit", {})]

    @tool
    def submit(self) -> ToolOutput:
        """Finish the task: the episode ends and your work is graded."""
        return ToolOutput("Submitted.", done=True)
