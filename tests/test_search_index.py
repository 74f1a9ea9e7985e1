"""The BM25 index: reproducible builds, deterministic ranking and ties, clear errors, paging."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolgym.cli import app
from toolgym.search.corpus import CorpusError, Document, load_corpus, write_jsonl_corpus
from toolgym.search.index import (
    SearchIndex,
    SearchIndexError,
    build_index,
    open_index,
    paginate,
    snippet,
)
from toolgym.search.roff import is_alias_page, page_title, roff_to_text

runner = CliRunner()

WORDS = [
    "river",
    "harbour",
    "lantern",
    "copper",
    "falcon",
    "meadow",
    "quartz",
    "signal",
    "timber",
    "velvet",
    "orchard",
    "beacon",
    "glacier",
    "saddle",
    "thistle",
    "marble",
    "pepper",
    "canyon",
    "harvest",
    "compass",
]


def corpus(count: int = 60, seed: int = 0) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for number in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 40)))
        docs.append(Document(f"doc-{number:03d}", f"{rng.choice(WORDS)} notes", text))
    return docs


QUERIES = ["river copper", "falcon", "quartz glacier beacon", "the meadow of timber", "zzz"]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def rankings(index: SearchIndex) -> list[list[tuple[str, float]]]:
    return [[(h.id, h.score) for h in index.search(q, 10)] for q in QUERIES]


def test_build_and_reload_give_identical_rankings(tmp_path):
    docs = corpus()
    build_index(docs, tmp_path / "a")
    first = SearchIndex(tmp_path / "a")
    before = rankings(first)
    assert before[0] and before[-1] == []  # matches for real words, none for unknown ones
    # Reloading (memory-mapped) and rebuilding from the corpus in another order change nothing.
    assert rankings(SearchIndex(tmp_path / "a")) == before
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    build_index(shuffled, tmp_path / "b")
    assert rankings(SearchIndex(tmp_path / "b")) == before
    assert tree(tmp_path / "a") == tree(tmp_path / "b"), "two builds differ byte for byte"


def test_scores_are_bm25_and_best_first(tmp_path):
    docs = [
        Document("a", "x", "copper copper copper river"),
        Document("b", "x", "copper river river"),
        Document("c", "x", "meadow"),
    ]
    build_index(docs, tmp_path / "i")
    index = SearchIndex(tmp_path / "i")
    hits = index.search("copper", 5)
    assert [h.id for h in hits] == ["a", "b"]
    assert hits[0].score > hits[1].score > 0
    assert index.search("coppers", 5)[0].id == "a", "queries are stemmed like documents"
    assert index.search("the and of", 5) == [], "stopwords alone match nothing"


def test_ties_are_broken_by_id_whatever_the_corpus_order(tmp_path):
    same = "identical words in every one of these documents"
    ids = ["m", "c", "x", "a", "k", "b"]
    for attempt, order in enumerate([ids, sorted(ids), list(reversed(ids))]):
        build_index([Document(i, "t", same) for i in order], tmp_path / f"i{attempt}")
        index = SearchIndex(tmp_path / f"i{attempt}")
        assert [h.id for h in index.search("identical documents", 10)] == sorted(ids)
        # A cut inside the tie keeps the lowest ids, not an arbitrary subset.
        assert [h.id for h in index.search("identical documents", 3)] == ["a", "b", "c"]


def test_document_store_lookups(tmp_path):
    docs = corpus(30)
    build_index(docs, tmp_path / "i")
    index = open_index(tmp_path / "i")
    assert open_index(tmp_path / "i") is index, "opened once per process"
    assert len(index) == 30 and "doc-007" in index and "nope" not in index
    assert index.get("doc-007") == Document(
        "doc-007", docs[7].title, docs[7].text, str(tmp_path / "i" / "docs.jsonl")
    )
    assert index.get("doc-999") is None
    with pytest.raises(ValueError, match="k must be at least 1"):
        index.search("river", 0)


def test_bad_index_paths_say_what_is_wrong(tmp_path):
    with pytest.raises(SearchIndexError, match=r"no such index \(build one with"):
        SearchIndex(tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    with pytest.raises(SearchIndexError, match="not a toolgym search index"):
        open_index(tmp_path / "plain")
    build_index(corpus(5), tmp_path / "old")
    manifest = tmp_path / "old" / "toolgym-index.json"
    manifest.write_text(json.dumps({"format": 99}))
    with pytest.raises(SearchIndexError, match=r"index format 99.*rebuild"):
        SearchIndex(tmp_path / "old")
    manifest.write_text("{not json")
    with pytest.raises(SearchIndexError, match="unreadable"):
        SearchIndex(tmp_path / "old")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"corpus\.jsonl:2: not valid JSON"),
        ('["a", "b"]', r"corpus\.jsonl:2: expected a JSON object, got list"),
        ('{"id": "", "title": "t", "text": "x"}', r"corpus\.jsonl:2: id: expected a non-empty"),
        ('{"id": "b", "text": "x"}', r"corpus\.jsonl:2: title: missing"),
        ('{"id": "b", "title": "t", "text": 3}', r"corpus\.jsonl:2: text: expected a string"),
        ('{"id": "a", "title": "t", "text": "x"}', r"corpus\.jsonl:2: id: duplicate id 'a'.*:1"),
    ],
)
def test_corrupt_corpus_line_is_named(tmp_path, line, message):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": "a", "title": "t", "text": "fine"}\n' + line + "\n")
    with pytest.raises(CorpusError, match=message):
        build_index(load_corpus(path), tmp_path / "i", source=str(path))
    assert not (tmp_path / "i").exists(), "a failed build leaves no index behind"


def test_empty_corpus_and_missing_corpus(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(CorpusError, match="holds no documents"):
        build_index(load_corpus(tmp_path / "empty.jsonl"), tmp_path / "i")
    with pytest.raises(CorpusError, match="no such corpus"):
        load_corpus(tmp_path / "nope.jsonl")


def test_folder_corpus_reads_text_markdown_and_html(tmp_path):
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("plain copper text")
    (root / "sub" / "b.md").write_text("intro\n# Falcon guide\nfalcons fly\n")
    (root / "c.html").write_text(
        "<html><head><title>Quartz page</title><style>p{}</style></head>"
        "<body><p>quartz &amp; glass</p><script>var x;</script></body></html>"
    )
    (root / "ignored.bin").write_bytes(b"\0\1")
    docs = {d.id: d for d in load_corpus(root)}
    assert sorted(docs) == ["a.txt", "c.html", "sub/b.md"]
    assert docs["sub/b.md"].title == "Falcon guide" and docs["a.txt"].title == "a"
    assert docs["c.html"].title == "Quartz page"
    assert docs["c.html"].text == "quartz & glass"


def test_pages_cover_the_text_and_respect_the_bound():
    text = "\n".join(f"line {n} " + "word " * (n % 13) for n in range(400))
    pages = paginate(text, 500)
    assert "".join(pages) == text
    assert all(len(page) <= 500 for page in pages) and len(pages) > 5
    assert all(page.endswith(("\n", " ")) for page in pages[:-1]), "cut at a boundary"
    assert paginate("", 100) == [""]
    assert paginate("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_snippet_shows_the_passage_with_the_query_terms(tmp_path):
    text = "filler " * 200 + "the copper falcon landed here " + "filler " * 200
    build_index([Document("a", "t", text)], tmp_path / "i")
    index = SearchIndex(tmp_path / "i")
    piece = snippet(index, text, "falcon copper", 80)
    assert "copper falcon" in piece and piece.startswith("…") and piece.endswith("…")
    assert snippet(index, "short text", "absent", 80) == "short text"


def test_cli_build_and_search(tmp_path):
    path = tmp_path / "corpus.jsonl"
    write_jsonl_corpus(corpus(20), path)
    result = runner.invoke(app, ["index", "build", str(path), "--out", str(tmp_path / "i")])
    assert result.exit_code == 0, result.output
    assert "indexed 20 documents" in result.output
    result = runner.invoke(app, ["search", str(tmp_path / "i"), "river copper", "-k", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    expected = SearchIndex(tmp_path / "i").search("river copper", 3)
    for line, hit in zip(lines, expected, strict=True):
        doc_id, score, title = line.split("\t")
        assert (doc_id, title) == (hit.id, hit.title) and float(score) == round(hit.score, 4)
    result = runner.invoke(app, ["search", str(tmp_path / "nope"), "river"])
    assert result.exit_code == 2 and "no such index" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "title": "t"}\n')
    result = runner.invoke(app, ["index", "build", str(bad), "--out", str(tmp_path / "j")])
    assert result.exit_code == 2 and "bad.jsonl:1: text: missing" in result.output
    result = runner.invoke(app, ["index", "build"])
    assert result.exit_code == 2 and "either a CORPUS or --builtin" in result.output


ROFF = r""".\" a comment line
.TH FROB 1 "2024" "frob 1.0"
.SH NAME
frob \- twiddle the \fBbits\fR of a file
.SH SYNOPSIS
.B frob
[\fB\-v\fR] \fIfile\fR
.SH OPTIONS
.TP
.BR \-v ", " \-\-verbose
say what is done \(em loudly
.de XX
.. macro body that is never shown
..
.PP
Copyright \(co the authors.
"""


def test_roff_markup_is_stripped():
    text = roff_to_text(ROFF)
    assert text.startswith("NAME\nfrob - twiddle the bits of a file")
    assert "[-v] file" in text and "-v, --verbose" in text and "done - loudly" in text
    assert "comment" not in text and "macro body" not in text and "\\f" not in text
    assert page_title(ROFF) == "FROB(1)"
    assert is_alias_page(".so man1/other.1\n") and not is_alias_page(ROFF)


def test_man_pages_reader(tmp_path):
    from toolgym.search.builtin import man_pages

    (tmp_path / "man1").mkdir()
    (tmp_path / "man1" / "frob.1.gz").write_bytes(gzip.compress(ROFF.encode()))
    (tmp_path / "man1" / "alias.1.gz").write_bytes(gzip.compress(b".so man1/frob.1\n"))
    (tmp_path / "man1" / "link.1.gz").symlink_to("frob.1.gz")
    (tmp_path / "man1" / "broken.1.gz").write_bytes(b"not gzip")
    docs = list(man_pages(tmp_path))
    assert [d.id for d in docs] == ["man/frob.1"]
    assert docs[0].title == "frob(1) manual page: frob - twiddle the bits of a file"
