"""Sealed local search for ``SearchEnv``: corpora, a BM25 index, answer scoring, the built-in
corpus, a synthetic multi-hop task generator and the ``toolgym index`` / ``toolgym search``
commands.

Submodules import ``bm25s`` and numpy only when an index is built or opened, so importing
toolgym (which registers ``toolgym/Search-v0``) stays light.
"""
