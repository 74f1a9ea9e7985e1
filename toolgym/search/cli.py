"""``toolgym index build``, ``toolgym search`` and ``toolgym generate search``.

Registered on the main app by ``toolgym/cli.py``; heavy imports (bm25s, numpy) happen inside
the commands so ``toolgym --help`` stays fast.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

index_app = typer.Typer(help="Build search indexes for SearchEnv.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(2)


@index_app.command("build")
def build(
    corpus: Annotated[
        Path | None,
        typer.Argument(help="A JSONL corpus ({id, title, text} per line) or a folder of files."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Index folder (default for --builtin: the cache).")
    ] = None,
    builtin: Annotated[
        bool, typer.Option("--builtin", help="Build the built-in corpus (pydoc, stdlib, man).")
    ] = False,
    man: Annotated[bool, typer.Option(help="--builtin: include manual pages.")] = True,
) -> None:
    """Build a BM25 index (memory-mapped on load; rebuilding replaces it atomically)."""
    from toolgym.search.builtin import build_builtin_index
    from toolgym.search.corpus import CorpusError, load_corpus
    from toolgym.search.index import build_index

    if builtin == (corpus is not None):
        raise _fail("give either a CORPUS or --builtin")
    start = time.monotonic()
    try:
        if builtin:
            path = build_builtin_index(out, man=man, say=lambda m: console.print(escape(m)))
        else:
            if out is None:
                raise _fail("--out is required with a CORPUS")
            assert corpus is not None
            build_index(load_corpus(corpus), out, source=str(corpus))
            path = out
    except CorpusError as exc:
        raise _fail(str(exc)) from None
    from toolgym.search.index import read_manifest

    manifest = read_manifest(path)
    console.print(
        f"indexed {manifest['documents']} documents ({manifest['terms']} terms) into {path} "
        f"in {time.monotonic() - start:.1f}s"
    )


def search(
    index: Annotated[str, typer.Argument(help="An index folder, or 'builtin'.")],
    query: Annotated[str, typer.Argument(help="The query.")],
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 5,
) -> None:
    """Search an index: prints id<TAB>score<TAB>title per result, best first."""
    from toolgym.search.builtin import resolve_index
    from toolgym.search.index import SearchIndexError, open_index

    if k < 1:
        raise _fail(f"-k must be at least 1, got {k}")
    try:
        opened = open_index(resolve_index(index, Path.cwd()))
    except SearchIndexError as exc:
        raise _fail(str(exc)) from None
    for hit in opened.search(query, k):
        sys.stdout.write(f"{hit.id}\t{hit.score:.4f}\t{hit.title}\n")


def generate(
    out: Annotated[Path, typer.Option(help="Folder for corpus.jsonl, index/ and tasks.jsonl.")],
    seed: Annotated[int, typer.Option(help="First seed within the split.")] = 0,
    count: Annotated[int, typer.Option(help="Number of questions (seeds seed..seed+count-1).")] = 1,
    split: Annotated[str, typer.Option(help="train or test (disjoint seed ranges).")] = "train",
) -> None:
    """Generate multi-hop questions over a fictional knowledge base (same seed, same bytes)."""
    from toolgym.search.generator import write_search_tasks

    try:
        written = write_search_tasks(out, split=split, seed=seed, count=count)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    console.print(
        f"wrote {written['tasks']} question(s) over {written['documents']} documents to {out} "
        f"(tasks: {written['file']})"
    )
