"""Answer scoring: SQuAD normalisation, exact match over aliases, token F1."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolgym.search.normalize import exact_match, normalize_answer, token_f1


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("The Mersenne Twister", "mersenne twister"),
        ("  an   apple, a pear ", "apple pear"),
        ("__len__()", "len"),
        ("RFC 4122.", "rfc 4122"),
        ("“Monday”!", "monday"),  # curly quotes are punctuation too
        ("1,000,000", "1000000"),
        ("theory", "theory"),  # only whole-word articles go
        ("ＹＩＱ", "yiq"),  # full-width letters fold
        ("", ""),
    ],
)
def test_normalisation(raw, normalised):
    assert normalize_answer(raw) == normalised


@pytest.mark.parametrize(
    ("prediction", "golds", "em"),
    [
        ("mersenne twister", ["The Mersenne Twister"], 1.0),
        ("MT19937", ["Mersenne Twister", "MT19937"], 1.0),  # any alias
        ("Mersenne", ["Mersenne Twister"], 0.0),
        ("", ["x"], 0.0),
        ("0.6", ["0.6"], 1.0),
        ("0.60", ["0.6"], 0.0),
    ],
)
def test_exact_match(prediction, golds, em):
    assert exact_match(prediction, golds) == em


def test_token_f1_gives_partial_credit():
    assert token_f1("Mersenne", ["Mersenne Twister"]) == pytest.approx(2 / 3)
    assert token_f1("the Mersenne Twister generator", ["Mersenne Twister"]) == pytest.approx(0.8)
    assert token_f1("nothing alike", ["Mersenne Twister"]) == 0.0
    assert token_f1("", ["Mersenne Twister"]) == 0.0
    assert token_f1("b a", ["x", "a b"]) == 1.0, "best alias, order-free"


@given(st.text(max_size=40))
def test_normalisation_is_idempotent_and_self_matching(text):
    once = normalize_answer(text)
    assert normalize_answer(once) == once
    if once:
        assert exact_match(text, [text]) == 1.0 and token_f1(text, [text]) == 1.0
