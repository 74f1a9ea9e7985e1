"""Answer scoring: SQuAD-style normalisation, exact match and token F1 against gold aliases.

Normalisation is the one the QA literature reports numbers with (SQuAD, Natural Questions,
HotpotQA, Search-R1): lower case, punctuation removed, the articles *a*, *an*, *the* removed,
whitespace collapsed. Exact match is the main (binary, verifiable) reward; F1 over the
normalised tokens is partial credit reported next to it. Both take the best gold alias.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable

_PUNCTUATION = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(text: str) -> str:
    """``"The  Walrus-Operator!"`` -> ``"walrusoperator"`` (SQuAD's normalisation; Unicode
    punctuation such as curly quotes is removed too)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(
        ch for ch in text if ch not in _PUNCTUATION and not unicodedata.category(ch).startswith("P")
    )
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def exact_match(prediction: str, golds: Iterable[str]) -> float:
    """1.0 when the normalised prediction equals a normalised gold alias, else 0.0."""
    predicted = normalize_answer(prediction)
    return float(any(predicted == normalize_answer(gold) for gold in golds))


def _f1(predicted: list[str], gold: list[str]) -> float:
    common = sum((Counter(predicted) & Counter(gold)).values())
    if not predicted or not gold or common == 0:
        return float(predicted == gold)
    precision = common / len(predicted)
    recall = common / len(gold)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, golds: Iterable[str]) -> float:
    """The best token-level F1 of the prediction against any gold alias."""
    predicted = normalize_answer(prediction).split()
    return max((_f1(predicted, normalize_answer(gold).split()) for gold in golds), default=0.0)
