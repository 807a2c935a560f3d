"""The array tokenizer (token_runs.py) gives exactly the regex's tokens on every text it accepts, and
hands every text needing the other rules (marks, joiners, astral characters) back to the regex."""

from __future__ import annotations

import random
import re

import pytest

from annotator.domain import tokenize
from annotator.domain.token_runs import EXTENDER, _classes, token_runs
from annotator.domain.tokenize import _token_regex, token_arrays, token_bounds

_span = re.Match.span


def _regex_bounds(text: str, offset: int = 0) -> list[tuple[int, int]]:
    return [(s + offset, e + offset) for s, e in map(_span, _token_regex().finditer(text))]


def _runs(text: str, offset: int = 0) -> list[tuple[int, int]] | None:
    runs = token_runs(text, offset)
    return None if runs is None else list(zip(runs[0].tolist(), runs[1].tolist(), strict=True))


def test_every_bmp_character_in_context_is_tokenized_as_the_regex_does() -> None:
    classes = _classes()
    plain = [chr(cp) for cp in range(0x10000) if classes[cp] != EXTENDER]
    assert len(plain) > 60_000
    for chunk in range(0, len(plain), 4096):  # each character alone, inside words, by apostrophes
        text = "".join(f"a{c}b {c}{c}'{c} x'{c}'y {c}" for c in plain[chunk : chunk + 4096])
        assert _runs(text, 5) == _regex_bounds(text, 5)


def test_characters_beyond_the_bmp_alone_or_in_context_are_tokenized_as_the_regex_does() -> None:
    from annotator.domain.token_runs import _astral_class

    astral = [
        chr(cp)
        for cp in (
            *range(0x10000, 0x40000, 7),
            *range(0x1F300, 0x1FB00),
            *range(0xE0000, 0xE1000),
            0x20000,
            0x1D400,
            0xF0000,
            0x10FFFD,
        )
    ]
    plain = [c for c in astral if _astral_class(ord(c)) != EXTENDER]
    assert {"\U0001f600", "\U00020000", "\U0001d400"} <= set(plain)  # emoji, ideograph, letter
    for chunk in range(0, len(plain), 4096):
        text = "".join(f"a{c}b {c}{c}'{c} x'{c}'y {c}é中 " for c in plain[chunk : chunk + 4096])
        assert _runs(text, 3) == _regex_bounds(text, 3)
    for c in ("\U0001f1eb", "\U0001f3fb", "\U000e0067", "\U0001d167"):  # flag letter, skin tone, tag, mark
        assert token_runs(f"a {c} b", 0) is None


def test_text_needing_the_other_rules_goes_to_the_regex() -> None:
    classes = _classes()
    extenders = [chr(cp) for cp in range(0x10000) if classes[cp] == EXTENDER and not 0xD800 <= cp < 0xE000]
    assert "\u0301" in extenders and "\u200d" in extenders and "\u0651" in extenders
    for c in extenders:
        assert token_runs(f"word {c} word", 0) is None
    assert token_runs("a flag \U0001f1eb\U0001f1f7 and 😀", 0) is None
    assert token_runs("", 0) is None


def test_random_mixed_texts_tokenize_as_the_regex_in_windows_of_any_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(16)
    letters = (
        "ab Z09'’׳״ \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u200b\ufeff.,;\"\\«»—©°中文字あア한ÀéßøΩжд١٢"
    )
    alphabet = [*letters, "\u0301", "\u200d", "😀", "\U0001f1eb", "\U00020000"]
    for size in (tokenize.WINDOW_CHARS, 64, 9):
        monkeypatch.setattr(tokenize, "WINDOW_CHARS", size)
        monkeypatch.setattr(tokenize, "FAST_MIN_CHARS", 1)
        for _ in range(400):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 300)))
            starts, ends = token_arrays(text)
            assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == _regex_bounds(text), repr(text)
            assert list(zip(*token_bounds(text), strict=True)) == _regex_bounds(text)
