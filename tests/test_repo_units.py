"""Repository tasks, the parts that need no sandbox: config, diff filtering, JUnit parsing,
the file-tool helper, and mutation operators."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from toolgym.repo import editor
from toolgym.repo.config import repo_config
from toolgym.repo.diff import filter_patch, is_test_path, split_patch, unquote_git_path
from toolgym.repo.fixtures import CORE_FIXED, write_demo_task
from toolgym.repo.junit import (
    MISSING,
    JUnitError,
    junit_key,
    outcomes_by_nodeid,
    outcomes_for,
    parse_report,
    read_report,
)
from toolgym.repo.mutate import OPERATORS, file_mutations, unified_patch
from toolgym.task import TaskLoadError, load_task


# -- [repo] config ------------------------------------------------------------------------------
def _task_with(tmp_path: Path, repo_toml: str) -> Path:
    task = write_demo_task(tmp_path)
    toml = (task / "task.toml").read_text()
    head = toml.split("[repo]")[0]
    (task / "task.toml").write_text(head + "[repo]\n" + repo_toml)
    return task


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('path = "x"\n', "[repo].fail_to_pass", "Field required"),
        ('path = "x"\nfail_to_pass = []\n', "[repo].fail_to_pass", "at least 1"),
        ('fail_to_pass = ["t::a"]\n', "[repo]", "exactly one source"),
        ('package = "a"\npath = "x"\nfail_to_pass = ["t::a"]\n', "[repo]", "exactly one"),
        ('package = "attrs"\nfail_to_pass = ["t::a"]\n', "[repo]", "needs a version"),
        ('git = "/r"\nfail_to_pass = ["t::a"]\n', "[repo]", "base_commit"),
        (
            'path = "x"\nrequirements = ["pytest>=8"]\nfail_to_pass = ["t::a"]\n',
            "[repo].requirements",
            "pin every requirement",
        ),
        ('path = "x"\nfail_to_pass = ["t::a"]\nfial_to_pass = []\n', "[repo].fial_to_pass", ""),
        ('path = "x"\nfail_to_pass = ["t::a"]\npass_to_pass = ["t::a"]\n', "[repo]", "both"),
        ('path = "x"\nfail_to_pass = ["t::a"]\nworkdir = "/usr"\n', "[repo].workdir", ""),
    ],
)
def test_repo_section_errors_name_the_field(tmp_path, body, field, words):
    task = load_task(_task_with(tmp_path, body))
    with pytest.raises(TaskLoadError) as caught:
        repo_config(task)
    assert caught.value.field == field and words in str(caught.value)
    assert str(caught.value).startswith(str(task.path / "task.toml"))


def test_files_to_run_come_from_the_test_ids(tmp_path):
    task = load_task(write_demo_task(tmp_path))
    config = repo_config(task)
    assert config.files_to_run() == ["tests/test_core.py"]
    assert config.test_ids[0] == "tests/test_core.py::test_clamp_high"


# -- diff filtering -----------------------------------------------------------------------------
def _git_diff(tmp_path: Path, files: dict[str, str | None]) -> str:
    """A real git diff (base: one file) after writing/removing ``files``."""
    repo = tmp_path / "r"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "mod.py").write_text("x = 1\n")
    (repo / "tests").mkdir()
    (repo / "tests" / "test_mod.py").write_text("def test_x():\n    pass\n")
    run = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    run("add", "-A")
    run("-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "base")
    for rel, content in files.items():
        target = repo / rel
        if content is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
    run("add", "-A")
    out = subprocess.run(
        [
            "git",
            "-c",
            "core.quotePath=true",
            "diff",
            "--cached",
            "--binary",
            "--no-renames",
            "--full-index",
            "HEAD",
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    )
    return out.stdout.decode()


def test_filter_keeps_code_and_drops_everything_that_steers_the_tests(tmp_path):
    diff = _git_diff(
        tmp_path,
        {
            "pkg/mod.py": "x = 2\n",
            "pkg/new helper.py": "y = 1\n",
            "pkg/naïve.py": "z = 1\n",
            "tests/test_mod.py": None,
            "conftest.py": "",
            "pkg/sub/conftest.py": "",
            "pkg/test_inline.py": "",
            "pkg/check_test.py": "",
            "pytest.ini": "[pytest]\n",
            "setup.cfg": "[tool:pytest]\n",
            "pyproject.toml": "",
            "pkg/tox.ini": "",
            "sitecustomize.py": "",
            "pkg/usercustomize.py": "",
            "hook.pth": "import os\n",
            ".gitattributes": "*.py text\n",
            "pytest.py": "",
            "json/__init__.py": "",
            "pkg/json.py": "",
            "testing/helpers.py": "",
            "data/fixture.txt": "f\n",
        },
    )
    kept, patches, dropped = filter_patch(diff, ["data/"], roots=(".",))
    assert sorted(p.path for p in patches) == [
        "pkg/json.py",
        "pkg/mod.py",
        "pkg/naïve.py",
        "pkg/new helper.py",
    ]
    reasons = {d.path: d.reason for d in dropped}
    assert reasons["tests/test_mod.py"] == "test file"
    assert reasons["pkg/sub/conftest.py"] == "test file"
    assert reasons["pkg/check_test.py"] == "test file"
    assert reasons["data/fixture.txt"] == "test file"  # declared by the task
    assert reasons["setup.cfg"] == reasons["pkg/tox.ini"] == "test or build configuration"
    assert reasons["hook.pth"] == reasons["pkg/usercustomize.py"] == "interpreter start-up hook"
    assert reasons[".gitattributes"] == "git attributes"
    assert "shadow" in reasons["pytest.py"] and "shadow" in reasons["json/__init__.py"]
    assert "x = 2" in kept and "conftest" not in kept
    # The kept diff applies on its own.
    repo = tmp_path / "r"
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD"], cwd=repo, check=True)
    subprocess.run(["git", "apply", "-"], cwd=repo, input=kept.encode(), check=True)
    assert (repo / "pkg" / "naïve.py").is_file() and (
        repo / "pkg" / "mod.py"
    ).read_text() == "x = 2\n"


def test_shadowing_checks_the_import_roots(tmp_path):
    diff = _git_diff(tmp_path, {"src/pytest.py": "", "src/pkg/pytest.py": ""})
    _, patches, dropped = filter_patch(diff, [], roots=("src",))
    assert [d.path for d in dropped] == ["src/pytest.py"]
    assert [p.path for p in patches] == ["src/pkg/pytest.py"]


def test_unreadable_headers_are_dropped_not_applied():
    text = "diff --git a/x b/y\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n"
    kept, _, dropped = filter_patch(text, [])
    assert kept == "" and dropped[0].reason == "unreadable diff header"
    assert split_patch("")[0] == []
    assert unquote_git_path('"a/t\\303\\251st\\tx.py"') == "a/tést\tx.py"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/unit/test_a.py", True),
        ("pkg/tests/data.json", True),
        ("testing/util.py", True),
        ("test_top.py", True),
        ("pkg/a_test.py", True),
        ("pkg/conftest.py", True),
        ("pkg/testsuite.py", False),
        ("pkg/contest.py", False),
        ("pkg/core.py", False),
    ],
)
def test_test_paths(path, expected):
    assert is_test_path(path) is expected


# -- JUnit reports ------------------------------------------------------------------------------
REPORT = b"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
<testcase classname="tests.test_core" name="test_a" file="tests/test_core.py" line="3"/>
<testcase classname="tests.test_core.TestX" name="test_b[1-x]" file="tests/test_core.py">
<failure message="assert 1 == 2">trace</failure></testcase>
<testcase classname="tests.test_core.TestX" name="test_b[1-x]" file="tests/test_core.py">
<error message="teardown boom">trace</error></testcase>
<testcase classname="pkg.tests.test_m" name="test_s" file="pkg/tests/test_m.py">
<skipped message="later"/></testcase>
</testsuite></testsuites>"""


def test_junit_outcomes_by_test_id(tmp_path):
    cases = parse_report(REPORT)
    ids = [
        "tests/test_core.py::test_a",
        "tests/test_core.py::TestX::test_b[1-x]",
        "pkg/tests/test_m.py::test_s",
        "tests/test_core.py::test_gone",
    ]
    outcomes = outcomes_for(cases, ids)
    assert outcomes[ids[0]] == ("passed", "")
    assert outcomes[ids[1]] == ("error", "teardown boom")  # the worst of the two reports
    assert outcomes[ids[2]][0] == "skipped"
    assert outcomes[ids[3]] == (MISSING, "")
    assert sorted(outcomes_by_nodeid(cases)) == sorted(ids[:3])
    # An inherited test: reported with its base class's file, found by its module.
    inherited = parse_report(
        b'<testsuite><testcase classname="tests.test_lru.LRUTest" name="test_get" '
        b'file="tests/__init__.py"/></testsuite>'
    )
    assert list(outcomes_by_nodeid(inherited)) == ["tests/__init__.py::test_get"]
    assert list(outcomes_by_nodeid(inherited, tmp_path)) == ["tests/__init__.py::test_get"]
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_lru.py").write_text("")
    assert list(outcomes_by_nodeid(inherited, tmp_path)) == ["tests/test_lru.py::LRUTest::test_get"]
    assert junit_key("a/b.py::C::t[x::y]") == ("a.b.C", "t[x::y]")


def test_junit_reports_are_read_without_trust(tmp_path):
    with pytest.raises(JUnitError, match="wrote no JUnit report"):
        read_report(tmp_path / "none.xml")
    (tmp_path / "real.xml").write_bytes(REPORT)
    (tmp_path / "link.xml").symlink_to(tmp_path / "real.xml")
    with pytest.raises(JUnitError, match="cannot open"):
        read_report(tmp_path / "link.xml")
    with pytest.raises(JUnitError, match="DTD"):
        parse_report(b'<!DOCTYPE x [<!ENTITY a "b">]><testsuites>&a;</testsuites>')
    with pytest.raises(JUnitError, match="not valid XML"):
        parse_report(b"<testsuites><testcase")
    with pytest.raises(JUnitError, match="root"):
        parse_report(b"<html/>")


# -- the file tools (the helper's logic, run on the host here) ---------------------------------
def test_view_numbers_and_bounds_lines(tmp_path):
    path = tmp_path / "f.py"
    path.write_text("".join(f"line {i}\n" for i in range(1, 1001)))
    text = editor.view(str(tmp_path), "f.py", None, None)
    assert text.splitlines()[1] == "  1\tline 1"
    assert "showing lines 1-400 of 1000" in text and "start_line=401" in text
    assert editor.view(str(tmp_path), "f.py", 999, -1).splitlines()[-1] == "1000\tline 1000"
    assert editor.view(str(tmp_path), "f.py", 5, 5).splitlines()[1:] == ["5\tline 5"]
    for start, end, words in [
        (0, None, "at least 1"),
        (1001, None, "past the end"),
        (9, 3, "before start_line"),
    ]:
        with pytest.raises(editor.ToolError, match=words):
            editor.view(str(tmp_path), "f.py", start, end)
    (tmp_path / "long.txt").write_text("x" * 2000 + "\n")
    assert "1500 chars cut" in editor.view(str(tmp_path), "long.txt", None, None)
    (tmp_path / "empty.txt").write_text("")
    assert "is empty" in editor.view(str(tmp_path), "empty.txt", None, None)
    (tmp_path / "bin").write_bytes(b"\x00\x01")
    with pytest.raises(editor.ToolError, match="binary"):
        editor.view(str(tmp_path), "bin", None, None)
    with pytest.raises(editor.ToolError, match="does not exist"):
        editor.view(str(tmp_path), "nope.py", None, None)


def test_view_lists_directories(tmp_path):
    (tmp_path / "pkg" / "sub" / "deep" / "deeper").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("")
    (tmp_path / "pkg" / "sub" / "deep" / "deeper" / "x.py").write_text("")
    (tmp_path / ".git").mkdir()
    text = editor.view(str(tmp_path), ".", None, None)
    assert "pkg/a.py" in text and "pkg/sub/deep/" in text
    assert ".git" not in text and "deeper/x.py" not in text


def test_edit_replaces_one_exact_occurrence(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f(x):\n    return x + 1\n\n\ndef g(x):\n    return x + 1\n")
    path.chmod(0o750)
    with pytest.raises(editor.ToolError, match=r"occurs 2 times .*lines 2, 6"):
        editor.edit(str(tmp_path), "m.py", "return x + 1", "return x + 2")
    with pytest.raises(editor.ToolError, match="does not occur"):
        editor.edit(str(tmp_path), "m.py", "return y", "return z")
    with pytest.raises(editor.ToolError, match="match up to whitespace starts at line 1"):
        editor.edit(str(tmp_path), "m.py", "def f(x):\n  return x + 1", "pass")
    with pytest.raises(editor.ToolError, match="old is empty"):
        editor.edit(str(tmp_path), "m.py", "", "x")
    with pytest.raises(editor.ToolError, match="the same"):
        editor.edit(str(tmp_path), "m.py", "def g", "def g")
    text = editor.edit(
        str(tmp_path), "m.py", "def g(x):\n    return x + 1", "def g(x):\n    return x * 2"
    )
    assert "6\t    return x * 2" in text
    assert path.read_text().endswith("return x * 2\n") and path.stat().st_mode & 0o777 == 0o750


def test_edit_keeps_crlf_and_refuses_non_text(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes(b"a = 1\r\nb = 2\r\n")
    editor.edit(str(tmp_path), "w.txt", "a = 1\nb = 2", "a = 1\nb = 3")
    assert path.read_bytes() == b"a = 1\r\nb = 3\r\n"
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9\n")
    with pytest.raises(editor.ToolError, match="not UTF-8"):
        editor.edit(str(tmp_path), "latin.txt", "caf", "tea")
    with pytest.raises(editor.ToolError, match="is a directory"):
        editor.edit(str(tmp_path), ".", "a", "b")


def test_create_makes_parents_and_reports_overwrites(tmp_path):
    assert "Created" in editor.create(str(tmp_path), "a/b/c.py", "x = 1\n")
    assert (tmp_path / "a" / "b" / "c.py").read_text() == "x = 1\n"
    assert "Overwrote" in editor.create(str(tmp_path), str(tmp_path / "a/b/c.py"), "")
    with pytest.raises(editor.ToolError, match="is a directory"):
        editor.create(str(tmp_path), "a", "x")
    with pytest.raises(editor.ToolError, match="not a directory"):
        editor.create(str(tmp_path), "a/b/c.py/d.py", "x")
    with pytest.raises(editor.ToolError, match="path is empty"):
        editor.create(str(tmp_path), " ", "x")


# -- mutation operators -------------------------------------------------------------------------
def test_every_operator_finds_sites_and_patches_round_trip(tmp_path):
    source = CORE_FIXED + (
        "\n\ndef scaled(values, factor=2, strict=False):\n"
        "    out = []\n"
        "    for i in range(len(values)):\n"
        "        out.append(pow(values[i], factor))\n"
        "    return out[1:]\n"
    )
    mutations = file_mutations("calc/core.py", source)
    assert {m.operator for m in mutations} == set(OPERATORS)
    assert len({m.key for m in mutations}) == len(mutations)
    repo = tmp_path / "r"
    (repo / "calc").mkdir(parents=True)
    for mutation in mutations:
        assert mutation.after != source
        (repo / "calc" / "core.py").write_text(source)
        subprocess.run(
            ["git", "apply", "-"], cwd=repo, input=mutation.bug_patch().encode(), check=True
        )
        assert (repo / "calc" / "core.py").read_text() == mutation.after
        subprocess.run(
            ["git", "apply", "-"], cwd=repo, input=mutation.fix_patch().encode(), check=True
        )
        assert (repo / "calc" / "core.py").read_text() == source
    flips = {m.detail for m in mutations if m.operator == "flip_comparison"}
    assert "> -> >=" in flips and "< -> <=" in flips
    assert any(m.detail == "2 -> 3" for m in mutations if m.operator == "change_default")
    assert file_mutations("x.py", source) == file_mutations("x.py", source)  # deterministic


def test_mutations_limited_to_covered_functions_and_valid_syntax():
    mean_line = CORE_FIXED.splitlines().index("def mean(values):") + 1
    covered = file_mutations("calc/core.py", CORE_FIXED, covered_lines={mean_line})
    assert covered and {m.function for m in covered} == {"mean"}
    assert file_mutations("bad.py", "def broken(:\n") == []
    one_liner = "def f(x):\n    if x: return 1\n    return 2\n"
    dropped = [m for m in file_mutations("f.py", one_liner) if m.operator == "drop_branch"]
    assert [m.after for m in dropped] == ["def f(x):\n    return 2\n"]


def test_unified_patch_marks_a_missing_final_newline():
    patch = unified_patch("a.py", "x = 1", "x = 2")
    assert patch.count("\\ No newline at end of file") == 2
