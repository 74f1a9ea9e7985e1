"""A tiny local repository task for tests, demos and benchmarks (no PyPI package needed).

``write_demo_task`` writes a small pure-Python package with its own tests into a folder (the
``path`` source of a repository task) and a task whose base has an off-by-one bug in
``calc.core.clamp``; ``solution/fix.patch`` repairs it.
"""

from __future__ import annotations

from pathlib import Path

from toolgym.repo.taskdir import RepoTaskSpec, write_repo_task

CORE_FIXED = '''\
"""Small numeric helpers."""


def clamp(value, low, high):
    """``value`` limited to the closed interval [low, high]."""
    if low > high:
        raise ValueError("low must not exceed high")
    if value < low:
        return low
    if value > high:
        return high
    return value


def mean(values):
    """The arithmetic mean of a non-empty sequence."""
    if not values:
        raise ValueError("mean of an empty sequence")
    return sum(values) / len(values)


def chunks(items, size):
    """``items`` cut into lists of ``size`` (the last one may be shorter)."""
    if size < 1:
        raise ValueError("size must be positive")
    return [items[i : i + size] for i in range(0, len(items), size)]
'''
CORE_BUGGY = CORE_FIXED.replace("    if value > high:\n", "    if value > high + 1:\n")
INIT = (
    '"""calc: a demo package."""\n\nfrom calc.core import chunks, clamp, mean\n\n'
    '__all__ = ["chunks", "clamp", "mean"]\n'
)
TESTS = """\
import pytest

from calc import chunks, clamp, mean


def test_clamp_inside():
    assert clamp(5, 0, 10) == 5


def test_clamp_low():
    assert clamp(-3, 0, 10) == 0


def test_clamp_high():
    assert clamp(11, 0, 10) == 10


def test_clamp_bad_interval():
    with pytest.raises(ValueError):
        clamp(1, 5, 0)


def test_mean():
    assert mean([1, 2, 3, 6]) == 3


def test_mean_empty():
    with pytest.raises(ValueError):
        mean([])


class TestChunks:
    def test_even(self):
        assert chunks([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]

    @pytest.mark.parametrize("size", [1, 3])
    def test_sizes(self, size):
        assert sum(chunks(list(range(7)), size), []) == list(range(7))
"""
FIX_PATCH = "".join(
    line + "\n"
    for line in (
        "diff --git a/calc/core.py b/calc/core.py",
        "--- a/calc/core.py",
        "+++ b/calc/core.py",
        "@@ -7,7 +7,7 @@ def clamp(value, low, high):",
        '         raise ValueError("low must not exceed high")',
        "     if value < low:",
        "         return low",
        "-    if value > high + 1:",
        "+    if value > high:",
        "         return high",
        "     return value",
        " ",
    )
)
F2P = ["tests/test_core.py::test_clamp_high"]
P2P = [
    "tests/test_core.py::test_clamp_inside",
    "tests/test_core.py::test_clamp_low",
    "tests/test_core.py::test_clamp_bad_interval",
    "tests/test_core.py::test_mean",
    "tests/test_core.py::test_mean_empty",
    "tests/test_core.py::TestChunks::test_even",
    "tests/test_core.py::TestChunks::test_sizes[1]",
    "tests/test_core.py::TestChunks::test_sizes[3]",
]
ISSUE = """\
`clamp` lets values just above the upper bound through

`calc.clamp(11, 0, 10)` returns 11, but a clamped value must never exceed `high`.
Values two or more above the bound are clamped correctly.
"""


def write_demo_repo(root: Path, buggy: bool = True) -> Path:
    """The demo package's source tree (with the bug unless ``buggy`` is False)."""
    (root / "calc").mkdir(parents=True, exist_ok=True)
    (root / "tests").mkdir(exist_ok=True)
    (root / "calc" / "__init__.py").write_text(INIT)
    (root / "calc" / "core.py").write_text(CORE_BUGGY if buggy else CORE_FIXED)
    (root / "tests" / "test_core.py").write_text(TESTS)
    (root / "README.md").write_text("# calc\n\nA demo package.\n")
    return root


def write_demo_task(root: Path, name: str = "calc-clamp", **repo: object) -> Path:
    """A repository task over the demo package (its source written next to the task)."""
    source = write_demo_repo(root / f"{name}-source")
    where: dict[str, object] = {} if "git" in repo else {"path": str(source)}
    spec = RepoTaskSpec(
        name=name,
        instruction=ISSUE,
        repo={**where, "fail_to_pass": F2P, "pass_to_pass": P2P, **repo},
        fix_patch=FIX_PATCH,
        metadata={"difficulty": "easy", "tags": ["demo"]},
        agent_timeout=600.0,
        verifier_timeout=120.0,
    )
    return write_repo_task(spec, root / "suite")
