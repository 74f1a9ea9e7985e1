"""Corpora: the documents a search index is built from.

A corpus is a JSONL file, one ``{"id": ..., "title": ..., "text": ...}`` object per line, or a
folder of ``.txt``, ``.md`` and ``.html`` files (the id is the path inside the folder, the
title the first heading or ``<title>``). Every error names the file and the line, because a
corpus of 100k lines is fixed from the error message, not by reading it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

FOLDER_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


class CorpusError(ValueError):
    """A corpus that cannot be read, with the file (and line) at fault."""


@dataclass(frozen=True)
class Document:
    """One searchable document. ``source`` says where it came from (for error messages)."""

    id: str
    title: str
    text: str
    source: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {"id": self.id, "title": self.title, "text": self.text}, ensure_ascii=False
        )


def check_document_id(doc_id: object, where: str) -> str:
    """A usable document id: a non-empty single-line string."""
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise CorpusError(f"{where}: id: expected a non-empty string, got {doc_id!r}")
    if "\n" in doc_id or "\r" in doc_id or doc_id != doc_id.strip():
        raise CorpusError(f"{where}: id: must be one line without surrounding spaces: {doc_id!r}")
    return doc_id


def read_jsonl_corpus(path: Path) -> Iterator[Document]:
    """Documents from a JSONL file; a bad line raises :class:`CorpusError` naming it."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the corpus: {exc.strerror}") from None
    number = 0
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield _document_from_line(line, f"{path}:{number}")
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}:{number + 1}: not valid UTF-8: {exc.reason}") from None


def _document_from_line(line: str, where: str) -> Document:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{where}: not valid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(row, dict):
        raise CorpusError(f"{where}: expected a JSON object, got {type(row).__name__}")
    doc_id = check_document_id(row.get("id"), where)
    for key in ("title", "text"):
        if key not in row:
            raise CorpusError(f"{where}: {key}: missing (each line needs id, title and text)")
        if not isinstance(row[key], str):
            raise CorpusError(f"{where}: {key}: expected a string, got {type(row[key]).__name__}")
    return Document(doc_id, clean_text(row["title"]), clean_text(row["text"]), where)


def clean_text(text: str) -> str:
    """Text without control characters (observations may not carry them)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class _HTMLText(HTMLParser):
    """The visible text of an HTML page and its ``<title>`` (scripts and styles dropped)."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """``(title, text)`` of an HTML page."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]+", " ", "".join(parser.parts))
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    return " ".join(parser.title.split()), text


def read_folder_corpus(root: Path) -> Iterator[Document]:
    """Documents from the text, Markdown and HTML files under ``root`` (in path order)."""
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES
    )
    if not files:
        raise CorpusError(f"{root}: no {', '.join(FOLDER_SUFFIXES)} files found")
    for path in files:
        rel = path.relative_to(root).as_posix()
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}: not valid UTF-8: {exc.reason}") from None
        if path.suffix.lower() in (".html", ".htm"):
            title, text = html_to_text(raw)
        else:
            text = raw
            title = next((m.group(1) for m in map(_MD_HEADING.match, raw.splitlines()) if m), "")
        yield Document(rel, clean_text(title or path.stem), clean_text(text), str(path))


def load_corpus(path: str | Path) -> Iterator[Document]:
    """Documents from a JSONL corpus file or a folder of text files."""
    path = Path(path)
    if path.is_dir():
        return read_folder_corpus(path)
    if not path.exists():
        raise CorpusError(f"{path}: no such corpus (expected a .jsonl file or a folder)")
    return read_jsonl_corpus(path)


def write_jsonl_corpus(documents: Iterable[Document], path: Path) -> int:
    """Write documents as a JSONL corpus; returns how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for document in documents:
            handle.write(document.to_json() + "\n")
            count += 1
    return count
