"""SearchEnv's index: build time and query latency, against rank_bm25 in the same run.

Two corpora: the built-in one (pydoc topics, stdlib docstrings, and this machine's manual pages
unless TOOLGYM_BUILTIN_MAN=0) and a synthetic 100k-document corpus (Zipf-distributed words,
fixed seed). Both libraries get the same documents, the same analysed terms and the same
queries; a query is timed end to end (analysis, scoring, top-k). rank_bm25 scores every
document in pure Python, so it gets fewer queries on the large corpus (``--baseline-queries``).

    python bench/search_latency.py [--docs 100000] [--queries 500] [--baseline-queries 30]

Goal: p50 query latency under 5 ms at 100k documents.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from toolgym.search.analyzer import Analyzer
from toolgym.search.builtin import MAN_ROOT, builtin_documents, include_man_pages
from toolgym.search.corpus import Document
from toolgym.search.index import SearchIndex, build_index


def synthetic_corpus(count: int, seed: int = 0) -> list[Document]:
    """``count`` documents over a 30k-word vocabulary with Zipf-like word frequencies."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    vocabulary = sorted(
        {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(32_000)}
    )
    rng.shuffle(vocabulary)
    vocabulary = vocabulary[:30_000]
    weights = [1 / (rank + 1) ** 1.07 for rank in range(len(vocabulary))]
    cumulative = np.cumsum(weights)
    docs = []
    for number in range(count):
        length = rng.randint(30, 150)
        picks = np.searchsorted(
            cumulative, np.asarray([rng.random() for _ in range(length)]) * cumulative[-1]
        )
        words = [vocabulary[min(i, len(vocabulary) - 1)] for i in picks]
        docs.append(Document(f"doc{number:06d}", " ".join(words[:4]), " ".join(words[4:])))
    return docs


def queries_from(docs: list[Document], count: int, seed: int = 1) -> list[str]:
    """Queries of 2-5 words drawn from random documents (so they usually match something)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        words = rng.choice(docs).text.split() or ["nothing"]
        out.append(" ".join(rng.sample(words, min(len(words), rng.randint(2, 5)))))
    return out


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


class RankBM25:
    """The baseline: rank_bm25's BM25Okapi over the same analysed terms."""

    def __init__(self, docs: list[Document], analyzer: Analyzer) -> None:
        from rank_bm25 import BM25Okapi

        self.analyzer = analyzer
        corpus = [analyzer.terms(f"{d.title}\n{d.title}\n{d.text}") or [""] for d in docs]
        self.model = BM25Okapi(corpus)

    def search(self, query: str, k: int = 5) -> list[int]:
        scores = self.model.get_scores(self.analyzer.terms(query))
        return list(np.argsort(-scores, kind="stable")[:k])


def measure(name: str, docs: list[Document], queries: int, baseline_queries: int) -> dict:
    analyzer = Analyzer()
    query_texts = queries_from(docs, queries)
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "index"
        build = timed(lambda: build_index(docs, path))
        load_start = time.perf_counter()
        index = SearchIndex(path)
        load = time.perf_counter() - load_start
        for query in query_texts[:20]:  # warm caches (stems, page cache)
            index.search(query, 5)
        ours = [timed(lambda q=query: index.search(q, 5)) for query in query_texts]
        index.close()
    baseline_build_start = time.perf_counter()
    baseline = RankBM25(docs, analyzer)
    baseline_build = time.perf_counter() - baseline_build_start
    theirs = [
        timed(lambda q=query: baseline.search(q, 5)) for query in query_texts[:baseline_queries]
    ]
    result = {
        "corpus": name,
        "documents": len(docs),
        "build_s": build,
        "load_s": load,
        "p50_ms": percentile(ours, 50) * 1000,
        "p99_ms": percentile(ours, 99) * 1000,
        "queries": len(ours),
        "baseline_build_s": baseline_build,
        "baseline_p50_ms": percentile(theirs, 50) * 1000,
        "baseline_p99_ms": percentile(theirs, 99) * 1000,
        "baseline_queries": len(theirs),
    }
    print(
        f"{name}: {len(docs)} docs; toolgym build {build:.1f}s, p50 {result['p50_ms']:.2f} ms; "
        f"rank_bm25 build {baseline_build:.1f}s, p50 {result['baseline_p50_ms']:.2f} ms",
        file=sys.stderr,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="synthetic corpus size")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--baseline-queries", type=int, default=30)
    args = parser.parse_args()

    man = include_man_pages() and MAN_ROOT.is_dir()
    builtin = list(builtin_documents(MAN_ROOT if man else None))
    rows = [
        measure(
            "builtin" + (" (with man pages)" if man else ""),
            builtin,
            args.queries,
            min(args.queries, 200),
        ),
        measure(f"synthetic {args.docs // 1000}k", synthetic_corpus(args.docs), args.queries,
                args.baseline_queries),
    ]  # fmt: skip
    print(
        "| corpus | docs | build (s): toolgym / rank_bm25 | query p50 (ms): toolgym / rank_bm25 "
        "| ratio | query p99 (ms): toolgym / rank_bm25 | ratio |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['corpus']} | {r['documents']:,} "
            f"| {r['build_s']:.1f} / {r['baseline_build_s']:.1f} "
            f"| {r['p50_ms']:.2f} / {r['baseline_p50_ms']:.1f} "
            f"| {r['baseline_p50_ms'] / r['p50_ms']:.0f}x "
            f"| {r['p99_ms']:.2f} / {r['baseline_p99_ms']:.1f} "
            f"| {r['baseline_p99_ms'] / r['p99_ms']:.0f}x |"
        )
    print(
        f"\n({rows[0]['queries']} queries per corpus for toolgym; rank_bm25: "
        f"{rows[0]['baseline_queries']} and {rows[1]['baseline_queries']}. Index load "
        f"(memory-mapped): {rows[0]['load_s'] * 1000:.0f} ms and "
        f"{rows[1]['load_s'] * 1000:.0f} ms.)"
    )


if __name__ == "__main__":
    main()
