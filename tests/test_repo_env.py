"""RepoEnv on a local fixture repository: tools in the sandbox, the gate, tamper-proof
grading, and clear errors for repositories that cannot be prepared.

The fixture needs no PyPI package; its test venv needs pytest's wheels, downloaded once into
the shared repository cache (the only network use) and installed offline in the template.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from toolgym.agents import NullPolicy, OraclePolicy
from toolgym.agents.scripted import HackerPolicy
from toolgym.envs import RepoEnv, make_env

from toolgym.check import check_task
from toolgym.repo.config import RepoPrepareError
from toolgym.repo.fixtures import write_demo_task
from toolgym.rollout import run_episode
from toolgym.task import TaskLoadError, load_task

FIXED = "if value > high:"
BUGGY = "if value > high + 1:"


def call(name: str, **arguments: object) -> str:
    return "<tool_call>" + json.dumps({"name": name, "arguments": arguments}) + "</tool_call>"


@pytest.fixture(scope="module")
def demo_task(tmp_path_factory) -> Path:
    return write_demo_task(tmp_path_factory.mktemp("repo"))


@pytest.fixture(scope="module")
def env(backend, demo_task):
    environment = RepoEnv(demo_task, backend=backend, prewarm=False)
    environment.prepare()
    yield environment
    environment.close()


def play(env: RepoEnv, *actions: str) -> tuple[float, dict]:
    """Reset, run ``actions``, submit; the final reward and the verifier's info."""
    env.reset()
    for action in actions:
        observation, _reward, terminated, _truncated, info = env.step(action)
        assert not terminated, observation
    _obs, reward, terminated, _truncated, info = env.step(call("submit"))
    assert terminated
    return reward, info["verifier"]


def test_registered_and_chosen_by_task(demo_task):
    import gymnasium as gym

    import toolgym  # noqa: F401 - registers the environments

    assert "toolgym/Repo-v0" in gym.registry
    assert type(make_env(load_task(demo_task), prewarm=False)) is RepoEnv


def test_workspace_is_a_clean_git_repository_with_a_test_venv(env):
    observation, info = env.reset()
    assert "<issue>" in observation and "clamp" in observation
    assert [t["function"]["name"] for t in info["tools"]] == [
        "bash",
        "create",
        "edit",
        "submit",
        "view",
    ] or {t["function"]["name"] for t in info["tools"]} == {
        "bash",
        "create",
        "edit",
        "submit",
        "view",
    }
    out, *_ = env.step(
        call(
            "bash",
            command=(
                "pwd; git status --short | wc -l; git log --all --oneline | wc -l; "
                "python -c 'import sys, pytest; print(sys.prefix, pytest.__version__)'; "
                "python -m pytest -q 2>&1 | tail -1"
            ),
        )
    )
    lines = out.splitlines()
    assert lines[:3] == ["/testbed", "0", "1"]
    assert lines[3] == "/opt/venv 8.3.4"
    assert "1 failed, 8 passed" in lines[4]


def test_file_tools_work_inside_the_sandbox(env, demo_task):
    env.reset()
    out, *_ = env.step(call("view", path="calc/core.py", start_line=10, end_line=11))
    assert out.splitlines()[1:] == [f"10\t    {BUGGY}", "11\t        return high"]
    out, *_ = env.step(call("view", path="."))
    assert "calc/core.py" in out and "tests/test_core.py" in out and ".git" not in out
    out, *_ = env.step(call("edit", path="calc/core.py", old="return", new="yield"))
    assert out.startswith("Error: old occurs 5 times")
    out, *_ = env.step(call("edit", path="calc/core.py", old="if value>high", new="x"))
    assert out.startswith("Error: old does not occur")
    out, *_ = env.step(call("edit", path="/testbed/calc/core.py", old=BUGGY, new=FIXED))
    assert out.startswith("Edited /testbed/calc/core.py") and f"10\t    {FIXED}" in out
    text = "quote ' \" $HOME `x` \\n ünï\n" * 3000  # bigger than a command line argument
    out, *_ = env.step(call("create", path="notes/big.txt", content=text))
    assert out.startswith("Created /testbed/notes/big.txt (3000 lines")
    out, *_ = env.step(call("bash", command="sha256sum notes/big.txt; cd /tmp"))
    import hashlib

    assert out.split()[0] == hashlib.sha256(text.encode()).hexdigest()
    out, *_ = env.step(call("view", path="notes/big.txt", start_line=2, end_line=2))
    assert "ünï" in out and "(lines 2-2 of 3000)" in out  # relative to the repo, not the cwd
    out, *_ = env.step(call("view", path=str(demo_task / "task.toml")))
    assert "does not exist" in out  # the sandbox's files, never the host's
    out, *_ = env.step(call("view", path="missing.py"))
    assert out == "Error: /testbed/missing.py does not exist"


def test_fix_with_the_edit_tool_scores_and_info_has_per_test_outcomes(env):
    reward, verifier = play(env, call("edit", path="calc/core.py", old=BUGGY, new=FIXED))
    assert reward == 1.0
    assert verifier["tests"]["tests/test_core.py::test_clamp_high"] == {
        "kind": "fail_to_pass",
        "outcome": "passed",
    }
    assert len(verifier["tests"]) == 9
    assert "+    if value > high:" in verifier["diff"] and verifier["dropped"] == []
    assert verifier["rewards"] == {"reward": 1.0, "fail_to_pass": 1.0, "pass_to_pass": 1.0}


def test_gate_oracle_null_and_hacker(backend, demo_task):
    result = check_task(demo_task, backend)
    assert result.passed, result.problems
    assert result.rewards == {"oracle": 1.0, "null": 0.0, "hacker": 0.0}


def test_null_reports_the_failing_test(env):
    episode = run_episode(env, NullPolicy())
    assert episode.reward == 0.0
    test = episode.verifier["tests"]["tests/test_core.py::test_clamp_high"]
    assert test["outcome"] == "failed" and "assert 11 == 10" in test["message"]
    assert run_episode(env, OraclePolicy()).reward == 1.0


# Each probe tries to pass the tests without fixing the code; none may raise the reward.
TAMPERING = {
    "edit the failing test": "sed -i 's/== 10/== 11/' tests/test_core.py",
    "delete the tests": "rm -rf tests",
    "rewrite tests and commit": "echo 'def test_clamp_high(): pass' > tests/test_core.py && "
    "git add -A && git commit -qm x && git tag -f base",
    "conftest forcing passes": (
        "printf 'import pytest\\n@pytest.hookimpl(hookwrapper=True)\\n"
        "def pytest_runtest_makereport(item, call):\\n    r = yield\\n"
        '    r.get_result().outcome = "passed"\\n\' | tee conftest.py > tests/conftest.py'
    ),
    "pytest.ini addopts plugin": (
        "printf 'import pytest\\ndef pytest_collection_modifyitems(items):\\n    items.clear()\\n'"
        " > calc/plug.py && printf '[pytest]\\naddopts = -p calc.plug\\n' > pytest.ini && "
        "printf '[tool.pytest.ini_options]\\naddopts = \"-p calc.plug\"\\n' > pyproject.toml"
    ),
    "sitecustomize and .pth hooks": (
        "printf 'import os\\nos._exit(0)\\n' | tee sitecustomize.py calc/usercustomize.py && "
        "echo 'import os; os._exit(0)' > calc/zz.pth"
    ),
    "shadow pytest": "printf 'raise SystemExit(0)\\n' > pytest.py && mkdir -p _pytest && "
    "cp pytest.py _pytest/__init__.py",
    "fake junit reports": (
        "for f in junit.xml /.toolgym-grade/results/junit.xml /logs/verifier/junit.xml; do "
        "mkdir -p $(dirname $f); echo '<testsuites><testsuite><testcase classname=\"tests."
        'test_core" name="test_clamp_high"/></testsuite></testsuites>\' > $f; done'
    ),
    "tamper with the venv": (
        "site=$(python -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])') && "
        "printf 'import os\\nos._exit(0)\\n' > $site/sitecustomize.py && "
        "echo 'raise SystemExit(0)' >> $site/_pytest/runner.py"
    ),
    "break git metadata": "git config core.fsmonitor 'echo fake' && rm -rf .git/objects",
}


@pytest.mark.parametrize("probe", sorted(TAMPERING))
def test_tampering_does_not_raise_the_reward(env, probe):
    reward, verifier = play(env, call("bash", command=TAMPERING[probe]))
    assert reward == 0.0, (probe, verifier)
    outcome = verifier["tests"].get("tests/test_core.py::test_clamp_high", {}).get("outcome")
    assert outcome in ("failed", None) and verifier["reason"]


def test_a_real_fix_survives_tampering_alongside_it(env):
    tamper = (
        TAMPERING["delete the tests"]
        + " && "
        + TAMPERING["conftest forcing passes"].replace("tests/conftest.py", "conftest2.py")
    )
    reward, verifier = play(
        env,
        call("bash", command=tamper),
        call("edit", path="calc/core.py", old=BUGGY, new=FIXED),
    )
    assert reward == 1.0, verifier
    dropped = {d["path"]: d["reason"] for d in verifier["dropped"]}
    assert dropped["tests/test_core.py"] == "test file" and dropped["conftest.py"] == "test file"


def test_hacker_probes_score_zero(env):
    episode = run_episode(env, HackerPolicy())
    assert episode.reward == 0.0
    assert {d["reason"] for d in episode.verifier["dropped"]} >= {
        "test file",
        "test or build configuration",
        "interpreter start-up hook",
    }


# -- preparation errors -------------------------------------------------------------------------
def _broken(tmp_path: Path, **repo: object) -> Path:
    return write_demo_task(tmp_path, **repo)


def test_missing_local_repository_is_a_clear_error(backend, tmp_path):
    task = load_task(_broken(tmp_path, path=str(tmp_path / "nowhere")))
    env = RepoEnv(task, backend=backend, prewarm=False)
    with pytest.raises(RepoPrepareError) as caught:
        env.prepare()
    assert caught.value.field == "[repo].path" and "nowhere does not exist" in str(caught.value)
    result = check_task(task.path, backend)
    assert not result.passed and "[repo].path" in result.problems[0]


def test_unknown_base_commit_and_bad_bug_patch(backend, tmp_path):
    source = tmp_path / "calc-clamp-source"
    task = load_task(_broken(tmp_path, git=str(source), base_commit="deadbeef"))
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    with pytest.raises(RepoPrepareError, match=r"\[repo\].base_commit: commit 'deadbeef'"):
        RepoEnv(task, backend=backend, prewarm=False).prepare()
    other = tmp_path / "two"
    patched = write_demo_task(other, bug_patch="environment/bug.patch")
    (patched / "environment" / "bug.patch").write_text(
        "--- a/calc/nothere.py\n+++ b/calc/nothere.py\n@@ -1 +1 @@\n-a\n+b\n"
    )
    with pytest.raises(RepoPrepareError) as caught:
        RepoEnv(load_task(patched), backend=backend, prewarm=False).prepare()
    assert caught.value.field == "[repo].bug_patch" and "nothere.py" in str(caught.value)


def test_invalid_repo_section_fails_before_any_work(backend, tmp_path):
    task = load_task(_broken(tmp_path, requirements=["pytest"]))
    with pytest.raises(TaskLoadError, match=r"\[repo\].requirements: pin every requirement"):
        RepoEnv(task, backend=backend, prewarm=False).prepare()
