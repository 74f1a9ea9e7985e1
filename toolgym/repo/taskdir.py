"""Writing repository task directories (used by the importer, the bug generator and tests).

A repository task is a Harbor task directory; the parts that differ from a shell task:

* ``task.toml`` has ``[toolgym] environment = "repo"`` and a ``[repo]`` section;
* ``environment/Dockerfile`` is a placeholder (RepoEnv generates the real one from ``[repo]``),
  and ``environment/bug.patch``, when present, is applied before the base commit is made;
* ``solution/fix.patch`` is the reference fix (``solve.sh`` applies it, for Harbor's oracle);
* ``tests/test.patch``, when present, holds hidden tests applied only when grading;
  ``tests/test.sh`` is a stub that awards nothing (the grader runs on the host).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLACEHOLDER_DOCKERFILE = """\
# RepoEnv builds this task's environment from [repo] in task.toml: the repository at its base
# commit in /testbed and a venv with the pinned test requirements in /opt/venv.
FROM debian:bookworm-slim
WORKDIR /testbed
"""
STUB_TEST_SH = """\
#!/bin/bash
# This task is graded by toolgym's RepoEnv on the host ([repo] in task.toml): the agent's diff,
# minus changes to tests, is applied to a pristine checkout and the listed tests are run.
# Run on its own, this script cannot grade and awards nothing.
mkdir -p /logs/verifier && echo 0 > /logs/verifier/reward.txt
"""
SOLVE_SH = """\
#!/bin/bash
# Harbor's oracle entry point: apply the reference fix (RepoEnv's oracle applies fix.patch).
set -e
cd "${REPO_DIR:-/testbed}"
git apply --whitespace=nowarn "$(dirname "$0")/fix.patch"
"""


def toml_value(value: Any) -> str:
    """A TOML literal for strings, numbers, booleans and lists of them (JSON's escapes are
    valid TOML basic-string escapes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        if len(value) <= 3:
            return "[" + ", ".join(toml_value(v) for v in value) + "]"
        return "[\n" + "".join(f"    {toml_value(v)},\n" for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def toml_table(name: str, values: dict[str, Any]) -> str:
    lines = [f"[{name}]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in values.items() if value is not None]
    return "\n".join(lines) + "\n"


@dataclass
class RepoTaskSpec:
    """Everything a repository task directory holds."""

    name: str
    instruction: str
    repo: dict[str, Any]
    fix_patch: str
    bug_patch: str | None = None
    test_patch: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    agent_timeout: float = 1800.0
    verifier_timeout: float = 300.0


def write_repo_task(spec: RepoTaskSpec, out_dir: Path) -> Path:
    """Write the task directory ``out_dir/spec.name`` (replacing an older one)."""
    root = out_dir / spec.name
    if root.exists():
        shutil.rmtree(root)
    (root / "environment").mkdir(parents=True)
    (root / "solution").mkdir()
    (root / "tests").mkdir()
    repo = dict(spec.repo)
    if spec.bug_patch is not None:
        repo["bug_patch"] = "environment/bug.patch"
        (root / "environment" / "bug.patch").write_text(spec.bug_patch, encoding="utf-8")
    metadata = {"category": "repo", **spec.metadata}
    toml = (
        'version = "1.0"\n\n'
        + toml_table("metadata", metadata)
        + "\n"
        + toml_table("toolgym", {"environment": "repo"})
        + "\n"
        + toml_table("verifier", {"timeout_sec": spec.verifier_timeout})
        + "\n"
        + toml_table("agent", {"timeout_sec": spec.agent_timeout})
        + "\n"
        + toml_table("repo", repo)
    )
    (root / "task.toml").write_text(toml, encoding="utf-8")
    (root / "instruction.md").write_text(spec.instruction.strip() + "\n", encoding="utf-8")
    (root / "environment" / "Dockerfile").write_text(PLACEHOLDER_DOCKERFILE)
    (root / "solution" / "fix.patch").write_text(spec.fix_patch, encoding="utf-8")
    (root / "solution" / "solve.sh").write_text(SOLVE_SH)
    (root / "solution" / "solve.sh").chmod(0o755)
    (root / "tests" / "test.sh").write_text(STUB_TEST_SH)
    (root / "tests" / "test.sh").chmod(0o755)
    if spec.test_patch:
        (root / "tests" / "test.patch").write_text(spec.test_patch, encoding="utf-8")
    return root
