"""Per-test outcomes from a pytest JUnit XML report, parsed on the host.

The report is produced inside the grading sandbox, so it is read like any untrusted file: a
regular file (no links), bounded in size, no DTD (no entity tricks), parsed by a real XML
parser. Test cases are matched to the task's test ids through pytest's own mapping from node
id to ``(classname, name)``, so ids never have to be rebuilt from file paths.
"""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

MAX_REPORT_BYTES = 64 * 1024 * 1024
PASSED, FAILED, ERROR, SKIPPED, MISSING = "passed", "failed", "error", "skipped", "missing"
_SEVERITY = {PASSED: 0, SKIPPED: 1, FAILED: 2, ERROR: 3}


class JUnitError(ValueError):
    """A report that is missing, not a regular file, too large, or not valid JUnit XML."""


@dataclass
class TestCaseResult:
    classname: str
    name: str
    file: str | None
    outcome: str
    message: str = ""

    def nodeid(self, root: Path | None = None) -> str:
        """The pytest node id. ``classname`` is the test module's dotted path plus classes;
        the module is the longest prefix that is a file under ``root`` (the ``file``
        attribute names where the test is *defined*, a base class's module for inherited
        tests, so it only serves as a fallback)."""
        parts = self.classname.split(".") if self.classname else []
        if root is not None:
            for cut in range(len(parts), 0, -1):
                module = "/".join(parts[:cut]) + ".py"
                if (root / module).is_file():
                    return "::".join([module, *parts[cut:], self.name])
        if not self.file:
            return f"{self.classname}::{self.name}" if self.classname else self.name
        module = re.sub(r"\.py$", "", self.file).replace("/", ".")
        names = [self.file]
        if self.classname.startswith(module + "."):
            names += self.classname[len(module) + 1 :].split(".")
        names.append(self.name)
        return "::".join(names)


def junit_key(nodeid: str) -> tuple[str, str]:
    """``(classname, name)`` that pytest's junitxml writes for ``nodeid``."""
    path, bracket, params = nodeid.partition("[")
    names = path.split("::")
    names[0] = re.sub(r"\.py$", "", names[0].replace("/", "."))
    names[-1] += bracket + params
    return ".".join(names[:-1]), names[-1]


def read_report(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise JUnitError("the test run wrote no JUnit report") from None
    except OSError as exc:
        raise JUnitError(f"cannot open the JUnit report ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise JUnitError("the JUnit report is not a regular file")
        if info.st_size > MAX_REPORT_BYTES:
            raise JUnitError(f"the JUnit report is larger than {MAX_REPORT_BYTES} bytes")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            if sum(map(len, chunks)) > MAX_REPORT_BYTES:
                raise JUnitError("the JUnit report grew past its size limit")
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse_report(data: bytes) -> list[TestCaseResult]:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise JUnitError("the JUnit report declares a DTD or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise JUnitError(f"the JUnit report is not valid XML ({exc})") from None
    if root.tag not in ("testsuites", "testsuite"):
        raise JUnitError(f"the JUnit report's root is <{root.tag}>, not <testsuite(s)>")
    results = []
    for case in root.iter("testcase"):
        outcome, message = PASSED, ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                kind = {"failure": FAILED, "error": ERROR, "skipped": SKIPPED}[child.tag]
                if _SEVERITY[kind] > _SEVERITY[outcome]:
                    outcome = kind
                    message = child.get("message") or (child.text or "").strip()
        results.append(
            TestCaseResult(
                classname=case.get("classname", ""),
                name=case.get("name", ""),
                file=case.get("file"),
                outcome=outcome,
                message=message,
            )
        )
    return results


def outcomes_for(cases: list[TestCaseResult], test_ids: list[str]) -> dict[str, tuple[str, str]]:
    """``test id -> (outcome, message)``; a test the report lacks is ``missing``. A test
    reported twice (a failing call and a failing teardown) keeps its worst outcome."""
    by_key: dict[tuple[str, str], TestCaseResult] = {}
    for case in cases:
        key = (case.classname, case.name)
        earlier = by_key.get(key)
        if earlier is None or _SEVERITY[case.outcome] > _SEVERITY[earlier.outcome]:
            by_key[key] = case
    out = {}
    for test_id in test_ids:
        case = by_key.get(junit_key(test_id))
        out[test_id] = (case.outcome, case.message) if case else (MISSING, "")
    return out


def outcomes_by_nodeid(
    cases: list[TestCaseResult], root: Path | None = None
) -> dict[str, TestCaseResult]:
    """Every reported test under its node id (worst outcome when reported twice); ``root``
    is the repository, to tell module paths from class names."""
    out: dict[str, TestCaseResult] = {}
    for case in cases:
        nodeid = case.nodeid(root)
        earlier = out.get(nodeid)
        if earlier is None or _SEVERITY[case.outcome] > _SEVERITY[earlier.outcome]:
            out[nodeid] = case
    return out
