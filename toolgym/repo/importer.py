"""Import SWE-bench-format instances as repository task directories.

An instance (one JSON object per line) has ``instance_id``, ``repo`` (``owner/name``),
``base_commit``, ``patch`` (the reference fix), ``test_patch`` (the tests that check it),
``FAIL_TO_PASS`` and ``PASS_TO_PASS`` (lists, or JSON strings of lists, as SWE-bench ships
them) and ``problem_statement`` (the issue). The repositories are local clones given with
``--repos``: ``DIR/owner__name``, ``DIR/owner/name`` or ``DIR/name``.

Each task gets ``[repo] git = <clone>`` at the base commit, the fix as ``solution/fix.patch``,
the test patch hidden in ``tests/test.patch`` (applied only when grading), and the files that
patch touches declared as test paths, so no agent change to them is ever graded.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolgym.repo.config import DEFAULT_REQUIREMENTS
from toolgym.repo.diff import changed_paths
from toolgym.repo.taskdir import RepoTaskSpec, write_repo_task

REQUIRED_FIELDS = (
    "instance_id",
    "repo",
    "base_commit",
    "patch",
    "test_patch",
    "FAIL_TO_PASS",
    "PASS_TO_PASS",
    "problem_statement",
)


class SWEBenchImportError(ValueError):
    """An instance that cannot become a task; the message names the line and the field."""


@dataclass
class ImportResult:
    written: list[Path]
    skipped: list[str]


def _test_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError as exc:
            raise SWEBenchImportError(f"{where}: not a JSON list ({exc})") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SWEBenchImportError(f"{where}: expected a list of test ids")
    return value


def find_clone(repos: Path, repo: str) -> Path | None:
    """The local clone of ``owner/name`` under ``repos``."""
    owner, _, name = repo.partition("/")
    for candidate in (repos / f"{owner}__{name}", repos / owner / name, repos / name):
        if (candidate / ".git").exists() or (candidate / "HEAD").is_file():
            return candidate.resolve()
    return None


def _has_commit(clone: Path, commit: str) -> bool:
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"],
        cwd=clone,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def task_name(instance_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", instance_id).strip("-") or "instance"


def instance_to_spec(
    instance: dict[str, Any], clone: Path, where: str, requirements: list[str]
) -> RepoTaskSpec:
    """One SWE-bench instance as a task spec (validated)."""
    missing = [f for f in REQUIRED_FIELDS if f not in instance]
    if missing:
        raise SWEBenchImportError(f"{where}: missing field(s) {', '.join(missing)}")
    for field in ("instance_id", "repo", "base_commit", "patch", "problem_statement"):
        if not isinstance(instance[field], str) or not instance[field].strip():
            raise SWEBenchImportError(f"{where}: {field} must be a non-empty string")
    fail_to_pass = _test_list(instance["FAIL_TO_PASS"], f"{where}: FAIL_TO_PASS")
    pass_to_pass = _test_list(instance["PASS_TO_PASS"], f"{where}: PASS_TO_PASS")
    if not fail_to_pass:
        raise SWEBenchImportError(f"{where}: FAIL_TO_PASS is empty (nothing would check the fix)")
    if not _has_commit(clone, instance["base_commit"]):
        raise SWEBenchImportError(
            f"{where}: base_commit {instance['base_commit']} is not in the clone {clone}"
        )
    test_patch = instance.get("test_patch") or ""
    test_paths = sorted(set(changed_paths(test_patch)))
    repo = {
        "git": str(clone),
        "base_commit": instance["base_commit"],
        "test_paths": test_paths,
        "requirements": requirements,
        "fail_to_pass": fail_to_pass,
        "pass_to_pass": [t for t in pass_to_pass if t not in fail_to_pass],
    }
    metadata = {
        "difficulty": str(instance.get("difficulty") or "unknown"),
        "tags": ["swebench", instance["repo"]],
        "instance_id": instance["instance_id"],
        "source_repo": instance["repo"],
    }
    return RepoTaskSpec(
        name=task_name(instance["instance_id"]),
        instruction=instance["problem_statement"],
        repo=repo,
        fix_patch=instance["patch"],
        test_patch=test_patch or None,
        metadata=metadata,
    )


def import_swebench(
    instances: Path,
    repos: Path,
    out: Path,
    requirements: list[str] | None = None,
) -> ImportResult:
    """Write one task directory per instance of a SWE-bench-format JSONL file."""
    if not instances.is_file():
        raise SWEBenchImportError(f"{instances}: no such file")
    if not repos.is_dir():
        raise SWEBenchImportError(f"{repos}: no such folder (--repos names the local clones)")
    pins = list(requirements or DEFAULT_REQUIREMENTS)
    written: list[Path] = []
    skipped: list[str] = []
    out.mkdir(parents=True, exist_ok=True)
    for number, line in enumerate(instances.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{instances}:{number}"
        try:
            instance = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SWEBenchImportError(f"{where}: invalid JSON ({exc})") from None
        if not isinstance(instance, dict):
            raise SWEBenchImportError(f"{where}: expected a JSON object")
        clone = find_clone(repos, str(instance.get("repo", "")))
        if clone is None:
            skipped.append(f"{where}: no local clone of {instance.get('repo')!r} in {repos}")
            continue
        written.append(write_repo_task(instance_to_spec(instance, clone, where, pins), out))
    return ImportResult(written, skipped)
