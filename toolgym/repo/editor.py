"""The file tools of a repository task (view, edit, create), run inside the sandbox.

This file is copied into every repository template (``/opt/toolgym/editor.py``) and run by the
system Python with ``-I``, so it must stay a single stdlib-only script. ``RepoEnv`` sends one
request per call as base64 JSON on stdin through the agent's shell, which means the tools act on
the sandbox's files, never on host paths, and no quoting of the agent's text can break out.

Exit status 0 means the call worked; 1 means the request was refused and the output says why.
"""

from __future__ import annotations

import base64
import json
import os
import sys

MAX_VIEW_LINES = 400
MAX_LINE_CHARS = 500
MAX_LISTING = 300
LIST_LEVELS = 3
SNIPPET_CONTEXT = 4
MAX_FILE_BYTES = 4 * 1024 * 1024


class ToolError(Exception):
    """A request the tool refuses, with the message the agent sees."""


def resolve(root: str, path: str) -> str:
    if not path or not path.strip():
        raise ToolError("path is empty")
    return os.path.normpath(path if os.path.isabs(path) else os.path.join(root, path))


def read_text(path: str) -> str:
    if not os.path.lexists(path):
        raise ToolError(f"{path} does not exist")
    if os.path.isdir(path):
        raise ToolError(f"{path} is a directory")
    if not os.path.isfile(path):
        raise ToolError(f"{path} is not a regular file")
    if os.path.getsize(path) > MAX_FILE_BYTES:
        raise ToolError(f"{path} is larger than {MAX_FILE_BYTES} bytes; use bash to inspect it")
    with open(path, "rb") as handle:
        data = handle.read()
    if b"\0" in data:
        raise ToolError(f"{path} is a binary file ({len(data)} bytes); use bash to inspect it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ToolError(f"{path} is not UTF-8 text; use bash to inspect it") from None


def numbered(lines: list[str], first: int) -> str:
    width = len(str(first + len(lines) - 1))
    out = []
    for number, line in enumerate(lines, first):
        line = line.rstrip("\r\n")
        if len(line) > MAX_LINE_CHARS:
            line = line[:MAX_LINE_CHARS] + f" [... {len(line) - MAX_LINE_CHARS} chars cut]"
        out.append(f"{number:>{width}}\t{line}")
    return "\n".join(out)


def list_directory(path: str) -> str:
    entries: list[str] = []
    for current, dirs, files in os.walk(path):
        rel = os.path.relpath(current, path)
        depth = 0 if rel == "." else rel.count("/") + 1
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        names = [d + "/" for d in dirs] + [f for f in files if not f.startswith(".")]
        entries += [name if rel == "." else f"{rel}/{name}" for name in names]
        if depth >= LIST_LEVELS - 1:
            dirs[:] = []
    entries.sort()
    shown = entries[:MAX_LISTING]
    text = f"{path}/ (up to {LIST_LEVELS} levels, hidden files left out)\n" + "\n".join(shown)
    if len(entries) > len(shown):
        text += f"\n[... {len(entries) - len(shown)} more entries; list subdirectories]"
    return text


def view(root: str, path: str, start_line: int | None, end_line: int | None) -> str:
    target = resolve(root, path)
    if os.path.isdir(target):
        if start_line is not None or end_line is not None:
            raise ToolError(f"{target} is a directory: start_line/end_line apply to files")
        return list_directory(target)
    lines = read_text(target).splitlines(keepends=True)
    total = len(lines)
    if total == 0:
        return f"{target} is empty."
    start = 1 if start_line is None else start_line
    if start < 1:
        raise ToolError(f"start_line must be at least 1, got {start}")
    if start > total:
        raise ToolError(f"start_line {start} is past the end of {target} ({total} lines)")
    end = total if end_line is None or end_line == -1 else end_line
    if end < start:
        raise ToolError(f"end_line {end} is before start_line {start} (use -1 for the end)")
    end = min(end, total)
    note = ""
    if end - start + 1 > MAX_VIEW_LINES:
        end = start + MAX_VIEW_LINES - 1
        note = f"\n[showing lines {start}-{end} of {total}; ask for more with start_line={end + 1}]"
    header = f"{target} (lines {start}-{end} of {total})\n"
    return header + numbered(lines[start - 1 : end], start) + note


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _snippet(text: str, first_line: int, last_line: int) -> str:
    lines = text.splitlines(keepends=True)
    start = max(1, first_line - SNIPPET_CONTEXT)
    end = min(len(lines), last_line + SNIPPET_CONTEXT)
    return numbered(lines[start - 1 : end], start)


def _near_miss(text: str, old: str) -> str:
    """A hint for an ``old`` that is not in the file: where it matches up to whitespace."""
    wanted = [line.strip() for line in old.strip("\n").splitlines()]
    if not wanted or not wanted[0]:
        return ""
    lines = text.splitlines()
    for index in range(len(lines) - len(wanted) + 1):
        if all(lines[index + k].strip() == wanted[k] for k in range(len(wanted))):
            return (
                f" A match up to whitespace starts at line {index + 1}: copy the indentation "
                "exactly (view the file to see it)."
            )
    return " View the file and copy the text exactly, including indentation."


def edit(root: str, path: str, old: str, new: str) -> str:
    target = resolve(root, path)
    if old == "":
        raise ToolError("old is empty: give the exact text to replace (create writes a file)")
    if old == new:
        raise ToolError("old and new are the same: nothing would change")
    text = read_text(target)
    if old not in text and "\r\n" in text and "\r" not in old:
        old, new = old.replace("\n", "\r\n"), new.replace("\n", "\r\n")  # a CRLF file
    count = text.count(old)
    if count == 0:
        raise ToolError(f"old does not occur in {target}." + _near_miss(text, old))
    if count > 1:
        offsets, start = [], 0
        while (found := text.find(old, start)) != -1:
            offsets.append(found)
            start = found + 1
        where = ", ".join(str(_line_of(text, o)) for o in offsets[:10])
        raise ToolError(
            f"old occurs {count} times in {target} (starting at lines {where}); include more "
            "surrounding lines so that it matches exactly once"
        )
    offset = text.index(old)
    updated = text[:offset] + new + text[offset + len(old) :]
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write(updated)
    first = _line_of(updated, offset)
    last = _line_of(updated, offset + max(len(new) - 1, 0))
    return f"Edited {target}. The changed region now reads:\n" + _snippet(updated, first, last)


def create(root: str, path: str, content: str) -> str:
    target = resolve(root, path)
    if os.path.isdir(target):
        raise ToolError(f"{target} is a directory")
    existed = os.path.lexists(target)
    parent = os.path.dirname(target)
    if os.path.lexists(parent) and not os.path.isdir(parent):
        raise ToolError(f"{parent} is not a directory")
    os.makedirs(parent, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write(content)
    lines = len(content.splitlines())
    verb = "Overwrote" if existed else "Created"
    return f"{verb} {target} ({lines} line{'s' if lines != 1 else ''}, {len(content)} chars)."


def handle(request: dict) -> str:
    op = request.get("op")
    root = request.get("root") or "/"
    if op == "view":
        return view(root, request["path"], request.get("start_line"), request.get("end_line"))
    if op == "edit":
        return edit(root, request["path"], request["old"], request["new"])
    if op == "create":
        return create(root, request["path"], request["content"])
    raise ToolError(f"unknown operation {op!r}")


def main() -> int:
    try:
        request = json.loads(base64.b64decode(sys.stdin.buffer.read()).decode("utf-8"))
        sys.stdout.write(handle(request) + "\n")
        return 0
    except ToolError as exc:
        sys.stdout.write(f"Error: {exc}\n")
        return 1
    except OSError as exc:
        sys.stdout.write(f"Error: {exc.strerror or exc}: {exc.filename or ''}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
