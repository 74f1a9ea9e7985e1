"""Text analysis for BM25: lower-case words, English stopwords out, Snowball stems.

Documents and queries must be analysed identically, so both go through one :class:`Analyzer`.
It is written here rather than taken from ``bm25s.tokenize`` for two reasons: the vocabulary
must be numbered in first-seen order (``bm25s.tokenize`` numbers a ``set``, which changes with
``PYTHONHASHSEED`` and would make two builds of the same corpus differ byte for byte), and
queries arrive from many threads at once while a PyStemmer object must not be shared between
threads.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

TOKEN_PATTERN = r"\w{2,}"  # words of 2+ characters: bm25s's \b\w\w+\b, but faster
DEFAULT_LANGUAGE = "english"
_UNSEEN = "\0"  # a value no stem can take
MAX_CACHED_WORDS = 2_000_000


def _stopwords(language: str) -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    if language != "english":
        raise ValueError(f"no stopword list for {language!r} (only 'english')")
    return frozenset(STOPWORDS_EN)


class Analyzer:
    """Turns text into index terms. Thread-safe; caches the stem of every word it has seen."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, stem: bool = True) -> None:
        self.language = language
        self.stem = stem
        self.stopwords = _stopwords(language)
        self._split = re.compile(TOKEN_PATTERN).findall
        self._stems: dict[str, str | None] = {}  # word -> stem, None for a stopword
        self._local = threading.local()

    def settings(self) -> dict[str, object]:
        """What an index records so that queries are analysed as its documents were."""
        return {"language": self.language, "stem": self.stem, "token_pattern": TOKEN_PATTERN}

    def _stemmer(self) -> Callable[[str], str]:
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None:
            import Stemmer

            stemmer = self._local.stemmer = Stemmer.Stemmer(self.language).stemWord
        return stemmer

    def _stem_new(self, word: str) -> str | None:
        stem: str | None = word
        if word in self.stopwords:
            stem = None
        elif self.stem:
            stem = self._stemmer()(word)
        if len(self._stems) < MAX_CACHED_WORDS:  # queries may bring endless new words
            self._stems[word] = stem  # a dict store is atomic; racing threads store equal values
        return stem

    def term(self, word: str) -> str | None:
        """The index term of one word (``None`` for a stopword)."""
        word = word.lower()
        stem = self._stems.get(word, _UNSEEN)
        return self._stem_new(word) if stem is _UNSEEN else stem

    def terms(self, text: str) -> list[str]:
        """The index terms of ``text``, in order, repeats kept (BM25 counts them)."""
        stems = self._stems
        out: list[str] = []
        for word in self._split(text.lower()):
            stem = stems.get(word, _UNSEEN)
            if stem is _UNSEEN:
                stem = self._stem_new(word)
            if stem:
                out.append(stem)
        return out

    def term_ids(self, text: str, vocabulary: dict[str, int], known: dict[str, int]) -> list[int]:
        """The terms of ``text`` as ids in ``vocabulary``, numbering new terms in first-seen
        order. ``known`` caches word -> id (-1 for a stopword) across calls: indexing then
        costs one dictionary lookup per word, done in C."""
        words = self._split(text.lower())
        for word in dict.fromkeys(words):  # unique words, in text order (deterministic ids)
            if word not in known:
                stem = self.term(word)
                known[word] = -1 if stem is None else vocabulary.setdefault(stem, len(vocabulary))
        return [i for i in map(known.__getitem__, words) if i >= 0]
