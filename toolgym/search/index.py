"""A BM25 index on disk (built with ``bm25s``), memory-mapped on load, with a document store.

Layout of an index folder::

    toolgym-index.json   manifest: format, counts, analyzer and BM25 settings (written last,
                         so a folder without it is an unfinished build)
    bm25/                bm25s's files: the term x document score matrix (CSC) and vocabulary
    docs.jsonl           the documents, one JSON object per line, sorted by id
    docs.offsets.npy     byte offset of each line (and the end), for reads by position
    catalog.json         [[id, title], ...] in the same order, for result lists and lookups

Documents are stored sorted by id, so ranking by (score desc, position asc) breaks ties by
id: the same query on the same corpus always gives the same list, whatever order the corpus
came in. Building twice gives byte-identical files (no timestamps, vocabulary numbered in
first-seen order).
"""

from __future__ import annotations

import bisect
import json
import mmap
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from toolgym.search.analyzer import TOKEN_PATTERN, Analyzer
from toolgym.search.corpus import CorpusError, Document

INDEX_FORMAT = 1
MANIFEST = "toolgym-index.json"
BM25_DIR = "bm25"
DOCS_FILE = "docs.jsonl"
OFFSETS_FILE = "docs.offsets.npy"
CATALOG_FILE = "catalog.json"
DEFAULT_K1 = 1.5
DEFAULT_B = 0.75
_WORD = re.compile(TOKEN_PATTERN)


class SearchIndexError(ValueError):
    """An index folder that cannot be used, with the path at fault and how to fix it."""


@dataclass(frozen=True)
class Hit:
    """One search result."""

    id: str
    title: str
    score: float
    position: int  # the document's position in the index (id order)


def build_index(
    documents: Iterable[Document],
    out: str | Path,
    *,
    source: str = "",
    k1: float = DEFAULT_K1,
    b: float = DEFAULT_B,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build an index of ``documents`` into the folder ``out`` (replaced if it exists).

    The build happens in a sibling temporary folder that is renamed into place at the end, so
    readers never see a half-written index. Returns the manifest.
    """
    import bm25s

    out = Path(out)
    docs = list(documents)
    if not docs:
        raise CorpusError(f"{source or out}: the corpus holds no documents")
    first_seen: dict[str, str] = {}
    for doc in docs:
        if doc.id in first_seen:
            raise CorpusError(
                f"{doc.source or source}: id: duplicate id {doc.id!r} "
                f"(first at {first_seen[doc.id] or 'an earlier document'})"
            )
        first_seen[doc.id] = doc.source
    docs.sort(key=lambda d: d.id)
    analyzer = Analyzer()
    vocab: dict[str, int] = {}
    known: dict[str, int] = {}
    corpus_ids = [analyzer.term_ids(_indexed(doc), vocab, known) for doc in docs]
    if not vocab:
        raise CorpusError(f"{source or out}: the corpus has no indexable words")
    retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
    retriever.index((corpus_ids, vocab), create_empty_token=False, show_progress=False)

    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        retriever.save(str(work / BM25_DIR), show_progress=False)
        offsets = [0]
        with open(work / DOCS_FILE, "wb") as handle:
            for doc in docs:
                line = (doc.to_json() + "\n").encode("utf-8")
                handle.write(line)
                offsets.append(offsets[-1] + len(line))
        np.save(work / OFFSETS_FILE, np.asarray(offsets, dtype=np.int64))
        catalog = [[doc.id, doc.title] for doc in docs]
        (work / CATALOG_FILE).write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
        manifest = {
            "format": INDEX_FORMAT,
            "documents": len(docs),
            "terms": len(vocab),
            "postings": int(retriever.scores["data"].shape[0]),
            "analyzer": analyzer.settings(),
            "bm25": {"k1": k1, "b": b, "method": "lucene", "bm25s": bm25s.__version__},
            "source": source,
            **(meta or {}),
        }
        text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        (work / MANIFEST).write_text(text, "utf-8")
        _replace_dir(work, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _indexed(doc: Document) -> str:
    """What is indexed: the title twice (a cheap field boost: a search for a document's title
    then finds it first 95% of the time on the built-in corpus, 89% with the title once)."""
    return f"{doc.title}\n{doc.title}\n{doc.text}"


def _replace_dir(new: Path, target: Path) -> None:
    """Move ``new`` to ``target``, replacing an older folder there with one rename each."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the index at ``path``; a clear error when there is none."""
    manifest_path = path / MANIFEST
    hint = "build one with `toolgym index build CORPUS --out DIR`"
    if not path.exists():
        raise SearchIndexError(f"{path}: no such index ({hint})")
    if not manifest_path.is_file():
        raise SearchIndexError(f"{path}: not a toolgym search index, no {MANIFEST} ({hint})")
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SearchIndexError(f"{manifest_path}: unreadable ({exc}); rebuild the index") from None
    if not isinstance(manifest, dict) or manifest.get("format") != INDEX_FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise SearchIndexError(
            f"{manifest_path}: index format {found!r}, this toolgym reads {INDEX_FORMAT}; "
            "rebuild the index"
        )
    return manifest


class SearchIndex:
    """A built index, opened read-only. Thread-safe: searches only read shared arrays."""

    def __init__(self, path: str | Path) -> None:
        import bm25s

        self.path = Path(path)
        self.manifest = read_manifest(self.path)
        try:
            retriever = bm25s.BM25.load(
                str(self.path / BM25_DIR), mmap=True, show_progress=False, verbosity=0
            )
            self._offsets = np.load(self.path / OFFSETS_FILE, mmap_mode="r")
            catalog = json.loads((self.path / CATALOG_FILE).read_text("utf-8"))
            with open(self.path / DOCS_FILE, "rb") as handle:
                self._docs = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise SearchIndexError(f"{self.path}: damaged index ({exc}); rebuild it") from None
        self._data = retriever.scores["data"]
        self._indices = retriever.scores["indices"]
        self._indptr = retriever.scores["indptr"]
        self._vocab: dict[str, int] = retriever.vocab_dict
        self.ids: list[str] = [entry[0] for entry in catalog]
        self.titles: list[str] = [entry[1] for entry in catalog]
        if len(self.ids) != self.manifest["documents"] or len(self._offsets) != len(self.ids) + 1:
            raise SearchIndexError(f"{self.path}: damaged index (counts disagree); rebuild it")
        settings = self.manifest.get("analyzer", {})
        self.analyzer = Analyzer(settings.get("language", "english"), settings.get("stem", True))

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.position(doc_id) is not None

    # -- ranking ----------------------------------------------------------------------------
    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (float32, position order)."""
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for term in self.analyzer.terms(query):
            term_id = self._vocab.get(term)
            if term_id is None:
                continue
            start, end = int(self._indptr[term_id]), int(self._indptr[term_id + 1])
            # Within one term's column every document appears once, so a fancy-indexed add is
            # exact (and much faster than np.add.at).
            scores[self._indices[start:end]] += self._data[start:end]
        return scores

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The ``k`` best documents that match ``query``, best first, ties in id order."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        scores = self.scores(query)
        matched = np.flatnonzero(scores > 0)
        if len(matched) > k:
            # Keep every document scoring at least the k-th best, so that ties at the cut are
            # decided below by position (id order), not by argpartition's internal order.
            kth = np.partition(scores[matched], len(matched) - k)[len(matched) - k]
            matched = matched[scores[matched] >= kth]
        order = np.lexsort((matched, -scores[matched]))[:k]
        return [Hit(self.ids[p], self.titles[p], float(scores[p]), int(p)) for p in matched[order]]

    # -- documents --------------------------------------------------------------------------
    def position(self, doc_id: str) -> int | None:
        """The position of ``doc_id`` in the index, or ``None``."""
        at = bisect.bisect_left(self.ids, doc_id)
        return at if at < len(self.ids) and self.ids[at] == doc_id else None

    def document(self, position: int) -> Document:
        start, end = int(self._offsets[position]), int(self._offsets[position + 1])
        row = json.loads(self._docs[start:end].decode("utf-8"))
        return Document(row["id"], row["title"], row["text"], f"{self.path}/{DOCS_FILE}")

    def get(self, doc_id: str) -> Document | None:
        """The document with id ``doc_id``, or ``None``."""
        position = self.position(doc_id)
        return None if position is None else self.document(position)

    def close(self) -> None:
        self._docs.close()


_open: dict[Path, tuple[float, SearchIndex]] = {}
_open_lock = threading.Lock()


def open_index(path: str | Path) -> SearchIndex:
    """The index at ``path``, opened once per process (and again after a rebuild)."""
    path = Path(path).resolve()
    try:
        stamp = (path / MANIFEST).stat().st_mtime_ns
    except OSError:
        read_manifest(path)  # raises the clear error
        raise
    with _open_lock:
        cached = _open.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        index = SearchIndex(path)
        _open[path] = (stamp, index)
        return index


def snippet(index: SearchIndex, text: str, query: str, chars: int = 240) -> str:
    """The ``chars``-long stretch of ``text`` holding the most distinct query terms (the start
    of the text when none match), on one line, with ``…`` where it was cut."""
    wanted = set(index.analyzer.terms(query))
    start = 0
    if wanted:
        hits = [
            (match.start(), term)
            for match in _WORD.finditer(text)
            if (term := index.analyzer.term(match.group())) in wanted
        ]
        # Slide a window of ``chars`` over the hits; keep the first with most distinct terms.
        counts: dict[str, int] = {}
        best, ahead = 0, 0
        for position, term in hits:
            while ahead < len(hits) and hits[ahead][0] < position + chars:
                counts[hits[ahead][1]] = counts.get(hits[ahead][1], 0) + 1
                ahead += 1
            if len(counts) > best:
                best, start = len(counts), position
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
        # Start a little before the first hit, at a word boundary, for context.
        back = start - chars // 4
        if back <= 0:
            start = 0
        else:
            space = text.find(" ", back, start)  # the first word boundary after it
            start = space + 1 if space >= 0 else back
    piece = " ".join(text[start : start + chars].split())
    if start > 0:
        piece = "…" + piece
    if start + chars < len(text):
        piece += "…"
    return piece


def paginate(text: str, page_chars: int) -> list[str]:
    """``text`` cut into pages of at most ``page_chars`` characters, at a line break or space
    in the last fifth of a page when there is one. Always at least one page."""
    if page_chars < 1:
        raise ValueError(f"page_chars must be at least 1, got {page_chars}")
    pages: list[str] = []
    start = 0
    while len(text) - start > page_chars:
        end = start + page_chars
        floor = start + page_chars * 4 // 5
        cut = text.rfind("\n", floor, end)
        if cut < 0:
            cut = text.rfind(" ", floor, end)
        cut = cut + 1 if cut >= 0 else end
        pages.append(text[start:cut])
        start = cut
    pages.append(text[start:])
    return pages
