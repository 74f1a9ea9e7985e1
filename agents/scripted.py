"""Scripted reference agents used by ``toolgym check``: the oracle and the null agent.

* ``oracle`` unpacks the task's ``solution/`` into ``/solution`` and runs ``solve.sh`` through the
  ``bash`` tool, then submits. A correct task gives it reward 1.
* ``null`` submits at once. A task whose verifier checks real work gives it reward 0.

Both are stateless (they decide from the conversation), so they batch like any policy.
"""

from __future__ import annotations

import base64
import io
import tarfile
from pathlib import Path

from toolgym.agents.base import AssistantMessage, Policy, PolicyRequest, assistant_turns

from toolgym.task import Task
from toolgym.toolcalls import ToolCall

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


def oracle_command(task: Task) -> str:
    """The shell command that runs a task's reference solution, as Harbor's oracle does."""
    if not task.solution_script.is_file():
        raise FileNotFoundError(f"{task.solution_script}: missing (the oracle needs it)")
    payload = pack_directory(task.solution_dir)
    return (
        f"rm -rf {SOLUTION_DIR} && mkdir -p {SOLUTION_DIR} && "
        f"printf '%s' '{payload}' | base64 -d | tar --no-same-owner -xzf - -C {SOLUTION_DIR} && "
        f"bash {SOLUTION_DIR}/solve.sh; __rc=$?; rm -rf {SOLUTION_DIR}; (exit $__rc)"
    )


class OraclePolicy(Policy):
    """Runs the reference solution, then submits."""

    name = "oracle"

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        out = []
        for request in requests:
            if request.task is None:
                raise ValueError("the oracle needs the task (PolicyRequest.task)")
            if assistant_turns(request.messages) == 0:
                timeout = int(request.task.config.agent.timeout_sec)
                call = ToolCall(
                    "bash", {"command": oracle_command(request.task), "timeout": timeout}
                )
            else:
                call = ToolCall("submit", {})
            out.append(AssistantMessage(tool_calls=[call]))
        return out


class NullPolicy(Policy):
    """Submits immediately, without doing anything."""

    name = "null"

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        return [AssistantMessage(tool_calls=[ToolCall("submit", {})]) for _ in requests]
