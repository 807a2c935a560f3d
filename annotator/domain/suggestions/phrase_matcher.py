"""Whole-word, case- and inflection-tolerant search for many phrases at once (Aho-Corasick).

The text is read through a per-character map that keeps its length: word characters (letters, digits,
combining marks, ``_``, ZWJ/ZWNJ) become their lower case, every other character a space. Index ``i`` of
the mapped text is therefore code point ``i`` of the original, so a match's offsets are exact code point
offsets (DESIGN.md section 4) with nothing to translate back. The map runs in numpy over the UTF-16 (or,
with astral characters, UTF-32) code units, a few milliseconds for 2 MB.

Each phrase is expanded into its inflected forms (``inflection.variants``), mapped the same way and
padded with a space on each side, and the mapped text is padded too: a pattern can then only match on word
boundaries, so the automaton never reports the ``tariff`` inside ``tariffication`` and Python only sees
real matches. Scripts written without spaces between words (Han, kana, Thai, ...) have no boundaries: a
phrase containing them is searched in a second map that keeps them, unpadded on its CJK side; in the first
map they read as spaces, so ``関税tariffs`` still holds the word ``tariffs``.

Punctuation at the edges of a phrase (``U.S.``) is matched after the words, on the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import product

import ahocorasick
import numpy as np

from annotator.domain.suggestions.inflection import variants

_MAX_FORMS = 64  # inflected forms per phrase; a phrase with more inflects its last word only

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


_NO_SPACE_RE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _NO_SPACE_SCRIPTS) + "]")


def no_space_script(ch: str) -> bool:
    return _NO_SPACE_RE.match(ch) is not None


def has_no_space_script(text: str) -> bool:
    return _NO_SPACE_RE.search(text) is not None


def map_char(ch: str, keep_no_space: bool) -> str:
    """The character ``ch`` reads as: its lower case when a word character, else a space."""
    if not (unicodedata.category(ch)[0] in "LNM" or ch in "_\u200c\u200d"):
        return " "
    if not keep_no_space and no_space_script(ch):
        return " "
    low = ch.lower()
    return low if len(low) == 1 and (ord(low) > 0xFFFF) == (ord(ch) > 0xFFFF) else ch


@cache
def _bmp_table(keep_no_space: bool) -> np.ndarray:
    table = np.fromiter(
        (ord(map_char(chr(cp), keep_no_space)) for cp in range(0x10000)), dtype=np.uint16, count=0x10000
    )
    table[0xD800:0xE000] = 0x20  # lone surrogates read as spaces
    return table


def map_text(text: str, keep_no_space: bool) -> str:
    """``text`` through ``map_char``, same length, computed in numpy."""
    table = _bmp_table(keep_no_space)
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) == 2 * len(text):  # no astral characters: one UTF-16 unit per code point
        return table[np.frombuffer(units, dtype=np.uint16)].tobytes().decode("utf-16-le", "surrogatepass")
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.empty_like(codes)
    bmp = codes < 0x10000
    out[bmp] = table[codes[bmp]]
    astral, where = np.unique(codes[~bmp], return_inverse=True)
    mapped = np.array([ord(map_char(chr(int(cp)), keep_no_space)) for cp in astral], dtype=np.uint32)
    out[~bmp] = mapped[where]
    return out.tobytes().decode("utf-32-le", "surrogatepass")


class _CharMap(dict[int, str]):
    """``map_char`` as a ``str.translate`` table, filled on first use of each character (phrases
    are mapped one by one: 20,000 learned phrases went through ``map_char`` in 12 s, this in 0.1 s)."""

    def __init__(self, keep_no_space: bool) -> None:
        super().__init__()
        self.keep_no_space = keep_no_space

    def __missing__(self, code_point: int) -> str:
        mapped = self[code_point] = map_char(chr(code_point), self.keep_no_space)
        return mapped


_CHAR_MAPS = (_CharMap(False), _CharMap(True))


def _map(s: str, keep_no_space: bool) -> str:
    return s.translate(_CHAR_MAPS[keep_no_space])


def surface_forms(phrase: str) -> set[str]:
    """The forms of ``phrase`` the matcher looks for (inflections of its words, joined by one space)."""
    words = phrase.split()
    if not words:
        return set()
    per_word = [variants(w) for w in words]
    count = 1
    for forms in per_word:
        count *= len(forms)
    if count > _MAX_FORMS:
        per_word = [(w.lower(),) for w in words[:-1]] + [per_word[-1]]
    return {" ".join(combo) for combo in product(*per_word)}


def _edges(phrase: str) -> tuple[str, str, str]:
    """(leading punctuation, the words, trailing punctuation) of a phrase."""
    mapped = _map(phrase, keep_no_space=True)
    core = mapped.strip(" ")
    if not core:
        return "", "", ""
    lead = len(mapped) - len(mapped.lstrip(" "))
    trail = len(mapped) - len(mapped.rstrip(" "))
    return phrase[:lead], phrase[lead : len(phrase) - trail], phrase[len(phrase) - trail :]


def has_words(phrase: str) -> bool:
    """Whether ``phrase`` holds a word character (a phrase of only symbols or emoji is never matched)."""
    return bool(_edges(phrase)[1])


class PhraseMatcher:
    """Finds whole-word occurrences of many phrases; each phrase is known by an integer id."""

    def __init__(self, phrases: Iterable[tuple[int, str]]) -> None:
        self._plain = ahocorasick.Automaton()  # phrases without no-space scripts, padded both sides
        self._cjk = ahocorasick.Automaton()  # phrases with them
        self._sizes = [0, 0]
        for phrase_id, phrase in phrases:
            lead, words, trail = _edges(phrase.strip())
            if not words:
                continue
            cjk = has_no_space_script(words)
            automaton = self._cjk if cjk else self._plain
            for form in surface_forms(words):
                core = _map(form, keep_no_space=cjk)
                left = 0 if cjk and no_space_script(form[0]) else 1
                right = 0 if cjk and no_space_script(form[-1]) else 1
                pattern = " " * left + core + " " * right
                if pattern not in automaton:
                    automaton.add_word(pattern, (len(core), right, phrase_id, lead, trail))
                    self._sizes[cjk] += 1
        for automaton, size in zip((self._plain, self._cjk), self._sizes, strict=True):
            if size:
                automaton.make_automaton()

    def __len__(self) -> int:
        return sum(self._sizes)

    def find(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, phrase id) of every whole-word occurrence, overlapping ones included."""
        for cjk, automaton in enumerate((self._plain, self._cjk)):
            if not self._sizes[cjk]:
                continue
            padded = " " + map_text(text, keep_no_space=bool(cjk)) + " "
            for last, (length, right, phrase_id, lead, trail) in automaton.iter(padded):
                end = last - right  # last is inclusive and padded by one: end = last + 1 - right - 1
                start = end - length
                if lead:
                    if not text.startswith(lead, start - len(lead)):
                        continue
                    start -= len(lead)
                if trail:
                    if not text.startswith(trail, end):
                        continue
                    end += len(trail)
                yield start, end, phrase_id
