"""Whole-word, case- and inflection-tolerant search for many phrases at once (Aho-Corasick).

The text is never rewritten: instead each phrase is expanded into its surface forms (inflections of each
word from ``inflection.variants``, in lower, UPPER, Capitalised and Title Case and as first seen) and the
automaton runs over the text with only its line breaks, tabs and no-break spaces read as spaces. That
replacement keeps every character in place, so a match's offsets are code point offsets into the original
text (DESIGN.md section 4) with no offset map to get wrong, and a 2 MB text costs one pass in C.

A match counts only on word boundaries: the characters on either side of each end must not both be word
characters (letters, digits, combining marks, ZWJ/ZWNJ, ``_``). Scripts written without spaces between
words (Han, kana, Thai, ...) have no such boundaries, so a phrase may start or end beside them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from itertools import product

import ahocorasick

# Whitespace read as a space between the words of a phrase (each character stays one character).
_SPACES = ("\n", "\r", "\t", "\xa0", "\u2028", "\u2029", "\u202f", "\u3000")
_JOINERS = ("\u200c", "\u200d", "\ufe0f", "\ufe0e")  # ZWNJ, ZWJ, variation selectors
_MAX_FORMS = 64  # inflected forms per phrase before case forms; longer phrases inflect the last word only

_NO_SPACE_SCRIPTS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B..
)


def _no_space_script(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _NO_SPACE_SCRIPTS)


def _mark(ch: str) -> bool:
    return not ch.isascii() and unicodedata.category(ch)[0] == "M"


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or _mark(ch)


def _boundary(text: str, i: int) -> bool:
    """True when a phrase may start or end at code point ``i`` of ``text``."""
    if i <= 0 or i >= len(text):
        return True
    a, b = text[i - 1], text[i]
    if a in _JOINERS or b in _JOINERS or _mark(b) or "\U0001f3fb" <= b <= "\U0001f3ff":
        return False  # never inside a grapheme cluster: ZWJ sequences, combining marks, skin tones
    if not (_word_char(a) and _word_char(b)):
        return True
    return _no_space_script(a) or _no_space_script(b)


def read_as_spaces(text: str) -> str:
    """``text`` with line breaks, tabs and other spaces turned into U+0020, same length."""
    for ch in _SPACES:
        if ch in text:
            text = text.replace(ch, " ")
    return text


def surface_forms(phrase: str) -> set[str]:
    """The strings the matcher looks for to find ``phrase`` (words joined by one space)."""
    from annotator.domain.suggestions.inflection import variants

    words = phrase.split()
    if not words:
        return set()
    per_word = [variants(w) for w in words]
    count = 1
    for forms in per_word:
        count *= len(forms)
    if count > _MAX_FORMS:
        per_word = [(w.lower(),) for w in words[:-1]] + [per_word[-1]]
    found: set[str] = {" ".join(words)}
    for combo in product(*per_word):
        lower = " ".join(combo)
        found.add(lower)
        found.add(lower.upper())
        found.add(lower[:1].upper() + lower[1:])
        found.add(" ".join(w[:1].upper() + w[1:] for w in combo))
    return found


class PhraseMatcher:
    """Finds whole-word occurrences of many phrases; each phrase is known by an integer id."""

    def __init__(self, phrases: Iterable[tuple[int, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        self._size = 0
        for phrase_id, phrase in phrases:
            for form in surface_forms(phrase):
                if form not in self._automaton:
                    self._automaton.add_word(form, (len(form), phrase_id))
                    self._size += 1
        if self._size:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def find(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, phrase id) of every whole-word occurrence, overlapping ones included."""
        if not self._size:
            return
        spaced = read_as_spaces(text)
        for last, (length, phrase_id) in self._automaton.iter(spaced):
            end = last + 1
            start = end - length
            if _boundary(text, start) and _boundary(text, end):
                yield start, end, phrase_id
