"""A light, English-leaning inflection folding for phrase matching: leverage/leveraged/leveraging, tariff/tariffs.

``stem`` strips one common suffix (-ies, -ing, -ed, -es, -s) and a final -e from a lower-case word of ASCII
letters; other words (digits, punctuation, other scripts) are left as they are. Two words are the same for
the phrase recommender when their stems are equal. ``variants`` lists the surface forms of a stem that the
matcher looks for, so the text itself is never rewritten and its offsets stay exact.
"""

from __future__ import annotations

from functools import lru_cache

_SUFFIXES = ("", "e", "s", "es", "d", "ed", "ing", "er", "ers")
_MIN_STEM = 3


def _inflectable(word: str) -> bool:
    return word.isascii() and word.isalpha() and len(word) >= _MIN_STEM


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The folded form of ``word`` (compared case-insensitively)."""
    w = word.lower()
    if not _inflectable(w):
        return w
    if w.endswith("ies") and len(w) - 3 >= _MIN_STEM:
        return w[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= _MIN_STEM:
            if suffix == "s" and w.endswith("ss"):
                break
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) > _MIN_STEM:
        w = w[:-1]
    return w


@lru_cache(maxsize=65536)
def variants(word: str) -> tuple[str, ...]:
    """Lower-case surface forms whose stem is the stem of ``word`` (``word`` itself, lowered, first)."""
    w = word.lower()
    s = stem(w)
    if not _inflectable(w):
        return (w,)
    forms = [w]
    bases = [s]
    if s.endswith("y"):
        bases.append(s[:-1] + "i")
    for base in bases:
        for suffix in _SUFFIXES:
            form = base + suffix
            if form not in forms and stem(form) == s:
                forms.append(form)
    return tuple(forms)
