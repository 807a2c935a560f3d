"""The tokenizer: code point offsets, no whitespace in tokens, graphemes never split."""

from __future__ import annotations

import unicodedata

import pytest

from annotator.domain.tokenize import align_span_to_tokens, is_aligned, tokenize
from tests.domain.format_samples import TEXTS

SEPARATORS = {"\u200b", "\ufeff"}


def _is_separator(c: str) -> bool:
    return c.isspace() or c in SEPARATORS


def _is_extend(c: str) -> bool:
    """Characters that continue the grapheme before them (UAX #29 Extend, ZWJ, SpacingMark)."""
    cp = ord(c)
    return (
        unicodedata.category(c)[0] == "M"
        or cp in (0x200C, 0x200D)
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
    )


def texts(tokens):
    return [t.text for t in tokens]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_tokens_are_exact_slices_and_cover_every_non_space_character(name):
    text = TEXTS[name]
    tokens = tokenize(text)
    assert [t.id for t in tokens] == list(range(len(tokens)))
    previous_end = 0
    for tok in tokens:
        assert text[tok.start : tok.end] == tok.text
        assert tok.start >= previous_end and tok.end > tok.start
        assert not any(_is_separator(c) for c in tok.text)
        assert all(_is_separator(c) for c in text[previous_end : tok.start])
        assert tok.ws == (text[tok.end : tok.end + 1] == " ")
        previous_end = tok.end
    assert all(_is_separator(c) for c in text[previous_end:])


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_no_token_boundary_inside_a_grapheme(name):
    text = TEXTS[name]
    for tok in tokenize(text):
        # A token may not start with a character that extends the grapheme before it...
        if tok.start and not _is_separator(text[tok.start - 1]):
            assert not _is_extend(text[tok.start]), (tok, text[tok.start - 1 : tok.end])
        # ...nor end right before one.
        if tok.end < len(text):
            assert not _is_extend(text[tok.end]), tok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("👨‍👩‍👧‍👦 ok", ["👨‍👩‍👧‍👦", "ok"]),
        ("🇺🇦🇺🇸🇫", ["🇺🇦", "🇺🇸", "🇫"]),
        ("👍🏽👍", ["👍🏽", "👍"]),
        (
            "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f!",
            ["🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "!"],
        ),
        ("❤️‍🔥🏳️‍🌈", ["❤️‍🔥", "🏳️‍🌈"]),
        ("#️⃣ 1️⃣", ["#️⃣", "1️⃣"]),
        ("Cafe\u0301!", ["Cafe\u0301", "!"]),
        ("don't 'quote' rock'n'roll", ["don't", "'", "quote", "'", "rock'n'roll"]),
        ("Putin’s visit", ["Putin’s", "visit"]),
        ("...?!", [".", ".", ".", "?", "!"]),
        ("東京に行く", ["東", "京", "に", "行", "く"]),
        ("한국어 문장", ["한국어", "문장"]),
        ("مرحبا، צה״ל", ["مرحبا", "،", "צה״ל"]),
        ("\ufeffab\u200bcd", ["ab", "cd"]),
        ("a\r\nb\u2028c", ["a", "b", "c"]),
        ("COVID-19 3.14", ["COVID", "-", "19", "3", ".", "14"]),
        ("", []),
        (" \n\t ", []),
    ],
)
def test_token_rules(text, expected):
    assert texts(tokenize(text)) == expected


def test_ws_is_spacy_single_trailing_space():
    tokens = tokenize("a b  c\nd")
    assert [(t.text, t.ws) for t in tokens] == [("a", True), ("b", True), ("c", False), ("d", False)]


def test_deterministic():
    text = "".join(TEXTS.values())
    assert tokenize(text) == tokenize(text)


def test_align_exact_expand_and_whitespace():
    text = "Putin met  Xi."
    tokens = tokenize(text)  # Putin, met, Xi, .
    assert align_span_to_tokens(tokens, 0, 5) == (0, 0)
    assert is_aligned(tokens, 0, 5, 0, 0)
    assert align_span_to_tokens(tokens, 0, 14) == (0, 3)
    # boundaries inside tokens take the covering tokens, and are reported as not aligned
    assert align_span_to_tokens(tokens, 1, 7) == (0, 1)
    assert not is_aligned(tokens, 1, 7, 0, 1)
    # leading/trailing whitespace in a span is not a token
    assert align_span_to_tokens(tokens, 5, 10) == (1, 1)
    assert not is_aligned(tokens, 5, 10, 1, 1)
    # only whitespace: no token
    assert align_span_to_tokens(tokens, 9, 11) is None
    assert align_span_to_tokens(tokens, 5, 6) is None


def test_ascii_fast_path_tokenizes_exactly_as_the_full_pattern() -> None:
    import random
    import re

    from annotator.domain.tokenize import _ASCII_TOKEN, _token_regex, token_bounds

    rng = random.Random(5)
    alphabet = [chr(c) for c in range(128)] + list("ab'  don't")
    span = re.Match.span
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        expected = list(map(span, _token_regex().finditer(text)))
        assert list(map(span, _ASCII_TOKEN.finditer(text))) == expected, repr(text)
        starts, ends = token_bounds(text)
        assert list(zip(starts, ends, strict=True)) == expected
        assert [(t.start, t.end) for t in tokenize(text)] == expected
