"""The built-in corpus, made on the user's machine from what is already there (no download).

* the Python documentation topics every CPython ships (``pydoc_data.topics``: the language
  reference sections ``help("assert")`` shows), ids ``topic/<name>``;
* the docstrings of the standard library: one document per documented module
  (``module/<name>``) and per documented public class or function (``api/<module>.<name>``),
  collected by importing the modules in a subprocess with a timeout (see ``stdlib_dump.py``);
* the manual pages under ``/usr/share/man/man*`` when present (English pages only; aliases
  that only source another page are skipped), ids ``man/<name>.<section>``. Minimal systems
  have none, so the shipped questions never depend on them. ``TOOLGYM_BUILTIN_MAN=0`` leaves
  them out.

``toolgym index build --builtin`` builds it into ``<cache>/indexes/builtin``; tasks name it
``"index": "builtin"``, and the first use builds it (under a lock, so parallel environments
wait for one build). The index records the Python version it was made from and is rebuilt
when that changes.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from toolgym.sandbox.base import default_cache_dir
from toolgym.search.corpus import Document, clean_text, read_jsonl_corpus
from toolgym.search.index import MANIFEST, SearchIndexError, build_index, read_manifest
from toolgym.search.roff import is_alias_page, roff_to_text

BUILTIN_NAME = "builtin"
BUILDER_VERSION = 1  # bump when what goes into the corpus changes
MAN_ROOT = Path("/usr/share/man")
MAX_MAN_CHARS = 60_000
STDLIB_TIMEOUT_SEC = 300.0
_MAN_FILE = re.compile(r"^(?P<name>.+)\.(?P<section>[0-9][0-9a-zA-Z]*)(?:\.gz)?$")


def pydoc_topics() -> Iterator[Document]:
    """The language-reference topics of ``help()``, one document each."""
    from pydoc_data.topics import topics

    for key in sorted(topics):
        text = clean_text(topics[key]).strip()
        first = text.splitlines()[0].strip() if text else key
        yield Document(f"topic/{key}", f"Python reference: {first}", text, "pydoc_data.topics")


def stdlib_docstrings(timeout: float = STDLIB_TIMEOUT_SEC) -> list[Document]:
    """Docstrings of the standard library's modules, classes and functions."""
    script = Path(__file__).with_name("stdlib_dump.py")
    with tempfile.TemporaryDirectory(prefix="toolgym-stdlib-") as work:
        out = Path(work) / "stdlib.jsonl"
        # A timeout keeps what was written before it.
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(
                [sys.executable, "-I", str(script), str(out)],
                cwd=work,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "dumb"},
            )
        if not out.exists():
            return []
        documents = []
        try:
            for doc in read_jsonl_corpus(out):
                documents.append(Document(doc.id, doc.title, doc.text, "stdlib docstrings"))
        except ValueError:  # a line cut short by the timeout: keep the lines before it
            pass
        return documents


def man_pages(root: Path = MAN_ROOT) -> Iterator[Document]:
    """English manual pages under ``root`` (``man1`` ... ``man9``), as plain text."""
    seen: set[str] = set()
    for section_dir in sorted(root.glob("man[0-9]*")):
        for path in sorted(section_dir.iterdir()):
            match = _MAN_FILE.match(path.name)
            if not match or path.is_symlink() or not path.is_file():
                continue
            doc_id = f"man/{match.group('name')}.{match.group('section')}"
            if doc_id in seen:
                continue
            try:
                raw = (
                    gzip.decompress(path.read_bytes())
                    if path.suffix == ".gz"
                    else path.read_bytes()
                )
            except (OSError, EOFError):
                continue
            source = raw.decode("utf-8", errors="replace")
            if is_alias_page(source):
                continue
            text = roff_to_text(source)[:MAX_MAN_CHARS]
            if not text:
                continue
            seen.add(doc_id)
            label = f"{match.group('name')}({match.group('section')})"
            summary = _man_summary(text)
            title = f"{label} manual page" + (f": {summary}" if summary else "")
            yield Document(doc_id, title[:200], text, str(path))


def _man_summary(text: str) -> str:
    """The one-line description from the NAME section (``ls - list directory contents``)."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:40]):
        if line.strip() == "NAME":
            for following in lines[i + 1 : i + 4]:
                if following.strip():
                    return " ".join(following.split())
    return ""


def include_man_pages() -> bool:
    return os.environ.get("TOOLGYM_BUILTIN_MAN", "1").strip().lower() not in ("0", "no", "false")


def builtin_documents(man_root: Path | None = MAN_ROOT) -> Iterator[Document]:
    """Every document of the built-in corpus (``man_root=None``: no manual pages)."""
    yield from pydoc_topics()
    yield from stdlib_docstrings()
    if man_root is not None and man_root.is_dir():
        yield from man_pages(man_root)


def builtin_index_dir() -> Path:
    """Where the built-in index lives: ``<toolgym cache>/indexes/builtin``."""
    return default_cache_dir() / "indexes" / BUILTIN_NAME


def _builtin_meta(man: bool) -> dict[str, object]:
    return {
        "python": sys.version.split()[0],
        "builder": BUILDER_VERSION,
        "man_pages": man,
    }


def build_builtin_index(
    out: Path | None = None, man: bool | None = None, say: Callable[[str], None] | None = None
) -> Path:
    """Build the built-in index into ``out`` (default: :func:`builtin_index_dir`)."""
    out = out or builtin_index_dir()
    man = include_man_pages() if man is None else man
    if say:
        say(f"building the built-in search index in {out} (once; this takes a little while)")
    build_index(
        builtin_documents(MAN_ROOT if man else None),
        out,
        source="builtin: pydoc topics, stdlib docstrings" + (", man pages" if man else ""),
        meta={"builtin": _builtin_meta(man)},
    )
    return out


def builtin_is_current(path: Path) -> bool:
    """Whether the index at ``path`` is a built-in index made by this Python and builder
    (with or without manual pages: either serves the built-in tasks)."""
    try:
        manifest = read_manifest(path)
    except SearchIndexError:
        return False
    made = manifest.get("builtin")
    wanted = _builtin_meta(man=False)
    return isinstance(made, dict) and all(made.get(k) == wanted[k] for k in ("python", "builder"))


def ensure_builtin_index(say: Callable[[str], None] | None = None) -> Path:
    """The built-in index, built first if it is missing or was made by another Python."""
    path = builtin_index_dir()
    if builtin_is_current(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{BUILTIN_NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build; the others wait and then reuse it
        if not builtin_is_current(path):
            build_builtin_index(path, say=say or _stderr)
    return path


def _stderr(message: str) -> None:
    print(f"toolgym: {message}", file=sys.stderr, flush=True)


NAMED_INDEXES: dict[str, Callable[[], Path]] = {BUILTIN_NAME: ensure_builtin_index}


def resolve_index(spec: str | Path, base_dir: Path | None = None) -> Path:
    """The folder of the index ``spec``: a named index (``builtin``, built on first use) or a
    path, relative to ``base_dir`` (a task's folder) when not absolute."""
    if isinstance(spec, str) and spec in NAMED_INDEXES:
        return NAMED_INDEXES[spec]()
    path = Path(spec).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not (path / MANIFEST).is_file():
        read_manifest(path)  # raises the error that says what is wrong
    return path
