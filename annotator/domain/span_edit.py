"""Turn a raw selection into the span an annotator meant: trimmed, whole words, whole graphemes."""

from __future__ import annotations

import unicodedata

_ZWJ = "\u200d"
# Inside a word these join its parts: don't, Xi’s, long-term, non‑stop.
_CONNECTORS = frozenset("'’\u02bc-\u2010\u2011")


def _is_extend(ch: str) -> bool:
    """True for a code point that belongs to the grapheme before it."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch == _ZWJ
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)
    )


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def is_grapheme_boundary(text: str, i: int) -> bool:
    """Whether offset ``i`` falls between two graphemes (a simplified UAX #29)."""
    if i <= 0 or i >= len(text):
        return True
    prev, cur = text[i - 1], text[i]
    if prev == "\r" and cur == "\n":
        return False
    if _is_extend(cur) or prev == _ZWJ:
        return False
    if _is_regional_indicator(prev) and _is_regional_indicator(cur):
        run = 0  # flags pair up from the start of a run of regional indicators
        j = i - 1
        while j >= 0 and _is_regional_indicator(text[j]):
            run += 1
            j -= 1
        return run % 2 == 0
    return True


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def _is_word_at(text: str, i: int) -> bool:
    ch = text[i]
    if _is_word_char(ch):
        return True
    if ch in _CONNECTORS:
        return 0 < i < len(text) - 1 and _is_word_char(text[i - 1]) and _is_word_char(text[i + 1])
    return False


def _expand_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    # Only an edge that cuts into a word moves; an edge already on a word boundary stays put.
    if 0 < start < len(text) and _is_word_at(text, start) and _is_word_at(text, start - 1):
        while start > 0 and _is_word_at(text, start - 1):
            start -= 1
    if 0 < end < len(text) and _is_word_at(text, end - 1) and _is_word_at(text, end):
        while end < len(text) and _is_word_at(text, end):
            end += 1
    return start, end


def snap_selection(
    text: str, start: int, end: int, *, snap_words: bool, trim_whitespace: bool
) -> tuple[int, int] | None:
    """Adjust a selection of ``text`` (code point offsets) into a span, or None if nothing is left.

    Surrounding whitespace is trimmed, edges inside a word optionally move out to the word's
    edges, and an edge is never left inside a grapheme (combining marks, ZWJ emoji sequences,
    variation selectors, skin tones and flag pairs stay whole).
    """
    start, end = sorted((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    if trim_whitespace:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    if start >= end:
        return None
    if snap_words:
        start, end = _expand_to_words(text, start, end)
    while not is_grapheme_boundary(text, start):
        start -= 1
    while not is_grapheme_boundary(text, end):
        end += 1
    if not text[start:end].strip():
        return None
    return start, end
