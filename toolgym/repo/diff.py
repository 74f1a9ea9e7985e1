"""Split an agent's git diff into per-file patches and keep only what may be graded.

The agent's diff is untrusted input: whatever it contains, the grader keeps only changes to
the code under test. Dropped (and reported in ``info``):

* test files: the paths the task declares as tests, plus ``tests/``, ``test/`` and ``testing/``
  folders, ``test_*.py``, ``*_test.py`` and ``conftest.py`` anywhere;
* what configures the test run or the interpreter: pytest/tox/setup.cfg/pyproject files,
  ``sitecustomize.py``/``usercustomize.py``, ``*.pth``, ``.gitattributes``/``.gitmodules``;
* new modules that would shadow the standard library or the test tools on the import path;
* byte-code and caches, and nested repositories (submodule links).
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass
from pathlib import PurePosixPath

TEST_DIR_NAMES = frozenset({"tests", "test", "testing"})
TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "conftest.py")
CONFIG_FILES = frozenset(
    {"pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", "noxfile.py"}
)
STARTUP_FILES = frozenset({"sitecustomize.py", "usercustomize.py"})
GIT_FILES = frozenset({".gitattributes", ".gitmodules"})
TEST_TOOL_MODULES = frozenset(
    {"pytest", "_pytest", "pluggy", "py", "iniconfig", "packaging", "pip", "site", "toolgym"}
)
_HEADER = re.compile(r"^diff --git (.*)$", re.MULTILINE)
_OCTAL_ESCAPE = re.compile(rb"\\([0-7]{3}|[abtnvfr\"\\])")
_SIMPLE_ESCAPES = {
    b"a": b"\a",
    b"b": b"\b",
    b"t": b"\t",
    b"n": b"\n",
    b"v": b"\v",
    b"f": b"\f",
    b"r": b"\r",
    b'"': b'"',
    b"\\": b"\\",
}


@dataclass(frozen=True)
class FilePatch:
    """One file's part of a git diff."""

    path: str
    text: str
    new_file: bool = False
    deleted: bool = False
    submodule: bool = False


@dataclass(frozen=True)
class DroppedChange:
    path: str
    reason: str

    def to_info(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


def unquote_git_path(text: str) -> str:
    """Undo git's C-style quoting of a path (``"a/t\\303\\251st.py"``)."""
    if not (text.startswith('"') and text.endswith('"')):
        return text
    raw = text[1:-1].encode("utf-8", "surrogateescape")

    def replace(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        return bytes([int(code, 8)]) if code[:1].isdigit() else _SIMPLE_ESCAPES[code]

    return _OCTAL_ESCAPE.sub(replace, raw).decode("utf-8", "surrogateescape")


def _path_from_header(header: str) -> str | None:
    """The path of ``diff --git a/P b/P`` (renames are off, so both sides name one path)."""
    if header.startswith('"'):
        first_end = header.find('" ', 1)
        while first_end != -1 and header[first_end - 1] == "\\":
            first_end = header.find('" ', first_end + 1)
        if first_end == -1:
            return None
        left = unquote_git_path(header[: first_end + 1])
        return left[2:] if left.startswith("a/") else None
    if len(header) % 2 == 0:
        return None
    half = (len(header) - 1) // 2
    left, right = header[:half], header[half + 1 :]
    if left.startswith("a/") and right.startswith("b/") and left[2:] == right[2:]:
        return left[2:]
    return None


def split_patch(text: str) -> tuple[list[FilePatch], list[str]]:
    """Per-file patches of a ``git diff --no-renames`` output, and headers it could not read."""
    patches: list[FilePatch] = []
    unreadable: list[str] = []
    starts = [m.start() for m in _HEADER.finditer(text)]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        header_line = chunk.split("\n", 1)[0]
        path = _path_from_header(header_line[len("diff --git ") :])
        if path is None:
            unreadable.append(header_line[:200])
            continue
        meta = chunk.split("\n@@", 1)[0]
        patches.append(
            FilePatch(
                path=path,
                text=chunk,
                new_file="\nnew file mode " in meta,
                deleted="\ndeleted file mode " in meta,
                submodule=" 160000" in meta,
            )
        )
    return patches, unreadable


def is_test_path(path: str, declared: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether ``path`` (relative to the repository) counts as a test file."""
    posix = PurePosixPath(path)
    for item in declared:
        item = item.strip("/")
        if path == item or path.startswith(item + "/"):
            return True
    if any(part in TEST_DIR_NAMES for part in posix.parts[:-1]):
        return True
    return any(fnmatch.fnmatchcase(posix.name, pattern) for pattern in TEST_FILE_PATTERNS)


def _shadowed_module(path: str, roots: tuple[str, ...]) -> str | None:
    """The top-level module a new file would define at an import root (``X.py`` or
    ``X/__init__.py``), if it is one that the interpreter or the test tools rely on."""
    protected = TEST_TOOL_MODULES | set(sys.stdlib_module_names)
    for root in {".", *roots}:
        prefix = "" if root in (".", "") else root.strip("/") + "/"
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix) :]
        if "/" not in rest and rest.endswith((".py", ".pyc", ".so")):
            name = rest.split(".", 1)[0]
        elif rest.count("/") == 1 and rest.endswith("/__init__.py"):
            name = rest.split("/", 1)[0]
        else:
            continue
        if name in protected:
            return name
    return None


def drop_reason(
    patch: FilePatch, declared_tests: list[str] | tuple[str, ...], roots: tuple[str, ...]
) -> str | None:
    """Why a change may not be graded, or None to keep it."""
    posix = PurePosixPath(patch.path)
    name = posix.name
    if patch.submodule:
        return "nested repository (submodule link)"
    if "__pycache__" in posix.parts or name.endswith((".pyc", ".pyo")):
        return "byte-code or cache file"
    if is_test_path(patch.path, declared_tests):
        return "test file"
    if name in CONFIG_FILES:
        return "test or build configuration"
    if name in STARTUP_FILES or name.endswith(".pth"):
        return "interpreter start-up hook"
    if name in GIT_FILES:
        return "git attributes"
    if patch.new_file:
        module = _shadowed_module(patch.path, roots)
        if module:
            return f"new module {module!r} would shadow the standard library or test tools"
    return None


def filter_patch(
    text: str, declared_tests: list[str] | tuple[str, ...], roots: tuple[str, ...] = (".",)
) -> tuple[str, list[FilePatch], list[DroppedChange]]:
    """The diff to grade (kept files only), the kept patches, and what was dropped, why."""
    patches, unreadable = split_patch(text)
    kept: list[FilePatch] = []
    dropped = [DroppedChange(header, "unreadable diff header") for header in unreadable]
    for patch in patches:
        reason = drop_reason(patch, declared_tests, roots)
        if reason:
            dropped.append(DroppedChange(patch.path, reason))
        else:
            kept.append(patch)
    return "".join(p.text for p in kept), kept, dropped


def changed_paths(patch_text: str) -> list[str]:
    """The files a (git or plain unified) patch touches, for declaring a task's test paths."""
    patches, _ = split_patch(patch_text)
    if patches:
        return [p.path for p in patches]
    paths = []
    for line in patch_text.splitlines():
        if line.startswith("+++ ") and not line.startswith("+++ /dev/null"):
            target = line[4:].split("\t", 1)[0].strip()
            paths.append(target[2:] if target.startswith("b/") else target)
    return paths
