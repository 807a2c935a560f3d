"""A deterministic, Unicode-aware tokenizer for the token-based export formats (Prodigy, CoNLL).

Offsets are code point offsets into the text, end-exclusive (DESIGN.md section 4). Rules, in order:

- Whitespace (``str.isspace()``), ZERO WIDTH SPACE and the byte order mark U+FEFF separate tokens and are
  never inside one.
- Emoji stay whole: a pictographic symbol (category So) or a regional-indicator pair (a flag) together with
  its combining marks, variation selectors, skin-tone modifiers, tag characters (subdivision flags) and
  ZWJ-joined pictographs is one token. A lone regional indicator is its own token.
- Each CJK ideograph (Han) is its own token.
- A word is a run of letters, digits and combining marks (categories L, N, M; ZWJ/ZWNJ allowed inside),
  with apostrophes (' ’ and the Hebrew geresh/gershayim) kept when they sit between word characters:
  "don't" is one token, "'quoted'" is three.
- Every other character (punctuation, symbols, control and format characters) is its own token, plus any
  combining marks that follow it, so "#️⃣" stays whole.

No token ever splits a grapheme cluster (UAX #29) except at the rare prepend characters. Character classes
are built from this Python's ``unicodedata`` on first use, so the output is deterministic per Python version.

``Token.ws`` has spaCy's meaning: True when the token is followed by exactly one U+0020 SPACE that belongs to
it (``token.text_with_ws``). Any other whitespace between tokens is not owned by either token; the Prodigy
writer turns it into whitespace tokens so that ``Doc(words, spaces)`` rebuilds the text exactly.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from annotator.domain.token_runs import token_runs

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


class Token(NamedTuple):
    text: str
    start: int
    end: int
    id: int
    ws: bool


# Han ideograph blocks (and the ideographic marks that behave like ideographs).
_HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3005, 0x3005),  # 々 iteration mark
    (0x3007, 0x3007),  # 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3038, 0x303B),
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3FFFF),  # extensions B.. and compatibility supplement
)
_SKIN_TONES = (0x1F3FB, 0x1F3FF)
_REGIONAL_INDICATORS = (0x1F1E6, 0x1F1FF)
_TAGS = (0xE0020, 0xE007F)
_ZWNJ_ZWJ = (0x200C, 0x200D)
_APOSTROPHES = "'\u2019\u05f3\u05f4"
_SEPARATORS = "\\s\u200b\ufeff"

_by_start = attrgetter("start")
_by_end = attrgetter("end")


def _ranges(code_points: list[int]) -> str:
    """A character class body from sorted code points, written as \\U escapes in ranges."""
    parts: list[str] = []
    i = 0
    while i < len(code_points):
        lo = hi = code_points[i]
        while i + 1 < len(code_points) and code_points[i + 1] == hi + 1:
            i += 1
            hi = code_points[i]
        parts.append(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}")
        i += 1
    return "".join(parts)


# The re engine tests a BMP class with one bitmap lookup but walks astral ranges one by one, and a
# character that is not in the class (the space ending every word) walks them all. So astral members are
# only tried behind one cheap range check.
_ASTRAL = "(?=[\\U00010000-\\U0010ffff])"


def _one(code_points: list[int]) -> str:
    """A regex matching one character of the set."""
    bmp = [cp for cp in code_points if cp <= 0xFFFF]
    astral = [cp for cp in code_points if cp > 0xFFFF]
    if not astral:
        return f"[{_ranges(bmp)}]"
    return f"(?:[{_ranges(bmp)}]|{_ASTRAL}[{_ranges(astral)}])"


def _many(code_points: list[int]) -> str:
    """A regex matching zero or more characters of the set, BMP runs in the engine's fast loop."""
    bmp = [cp for cp in code_points if cp <= 0xFFFF]
    astral = [cp for cp in code_points if cp > 0xFFFF]
    if not astral:
        return f"[{_ranges(bmp)}]*"
    return f"(?:[{_ranges(bmp)}]+|{_ASTRAL}[{_ranges(astral)}])*"


@cache
def _token_regex() -> re.Pattern[str]:
    # Built lazily: scanning the code space and compiling take ~0.1 s, which GUI start-up should not pay.
    word: list[int] = []
    han: list[int] = []
    pict: list[int] = [*range(_SKIN_TONES[0], _SKIN_TONES[1] + 1)]
    ext: list[int] = [*range(_ZWNJ_ZWJ[0], _ZWNJ_ZWJ[1] + 1), *pict, *range(_TAGS[0], _TAGS[1] + 1)]
    category = unicodedata.category
    for lo, hi in _HAN_RANGES:
        han.extend(cp for cp in range(lo, hi + 1) if category(chr(cp))[0] in "LN")
    han_set = frozenset(han)
    for cp in (*range(0x40000), *range(0xE0000, 0xE1000)):
        major = category(chr(cp))
        if major[0] in "LN":
            if cp not in han_set:
                word.append(cp)
        elif major[0] == "M":
            word.append(cp)
            ext.append(cp)
        elif major == "So" and not _REGIONAL_INDICATORS[0] <= cp <= _REGIONAL_INDICATORS[1]:
            pict.append(cp)
    word.sort()
    pict.sort()
    ext = sorted(set(ext))
    word_ext = sorted(set(word) | set(ext))
    ri = f"\\U{_REGIONAL_INDICATORS[0]:08x}-\\U{_REGIONAL_INDICATORS[1]:08x}"
    pict_or_ri = sorted({*pict, *range(_REGIONAL_INDICATORS[0], _REGIONAL_INDICATORS[1] + 1)})
    w, wes, es = _one(word), _many(word_ext), _many(ext)
    pattern = (
        f"{w}{wes}(?:[{_APOSTROPHES}]{w}{wes})*"  # a word, apostrophes inside it
        f"|{_one(han)}{es}"  # one ideograph
        f"|(?:[{ri}][{ri}]?|{_one(pict)})(?:\u200d{_one(pict_or_ri)}|{_one(ext)})*"  # emoji, flags, ZWJ
        f"|[^{_SEPARATORS}]{es}"  # anything else, one character (plus its marks)
    )
    return re.compile(pattern)


_span = re.Match.span


# The same rules on ASCII text: letters and digits are the only word characters, ' the only
# apostrophe, and there are no marks, ideographs or emoji. Twice as fast as the full pattern.
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*|\S")


def _regex_for(text: str) -> re.Pattern[str]:
    """The fastest pattern that tokenizes ``text`` exactly as the full one does."""
    if text.isascii():
        return _ASCII_TOKEN
    return _token_regex()


WINDOW_CHARS = 1 << 16  # text tokenized a window of about this many characters at a time
FAST_MIN_CHARS = 64  # shorter windows go to the regex: the array operations' fixed cost is higher
_SEPARATOR = re.compile(f"[{_SEPARATORS}]")


def windows(text: str) -> Iterator[tuple[int, int]]:
    """(lo, hi) pieces of ``text`` of about WINDOW_CHARS, each ending just after a separator (or at
    the end). No token contains a separator and none starts at one, so tokenizing each piece alone
    gives exactly the tokens of the whole text."""
    lo, n = 0, len(text)
    while lo < n:
        found = _SEPARATOR.search(text, lo + WINDOW_CHARS - 1) if lo + WINDOW_CHARS < n else None
        hi = found.end() if found is not None else n
        yield lo, hi
        lo = hi


def token_bounds(text: str) -> tuple[array[int], array[int]]:
    """The tokens of ``text`` as two arrays, their starts and their (exclusive) ends: what the export
    writers need, without building a Token per word (their hot loop). Tokenized a window at a time
    into 8-byte arrays: a 20 MB document's 3 million tokens as lists of ints took 220 MB."""
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    for lo, hi in windows(text):
        regex = _ASCII_TOKEN if text[lo:hi].isascii() else _token_regex()
        bounds = list(map(_span, regex.finditer(text, lo, hi)))
        if bounds:
            window_starts, window_ends = zip(*bounds, strict=True)
            starts.extend(window_starts)
            ends.extend(window_ends)
    return starts, ends


def token_arrays(text: str) -> tuple[npt.NDArray[np.signedinteger], npt.NDArray[np.signedinteger]]:
    """The tokens of ``text`` as two numpy arrays, their starts and their (exclusive) ends: what the
    export writers need, without building a Token per word (their hot loop). Tokenized a window at a
    time, into 4-byte integers unless the text is longer than that counts: a 20 MB document's 3 million
    tokens as lists of ints took 220 MB, as 8-byte arrays 48 MB, as these 24 MB."""
    import numpy as np

    dtype = np.int32 if len(text) < 2**31 else np.int64
    starts: list[npt.NDArray[np.signedinteger]] = []
    ends: list[npt.NDArray[np.signedinteger]] = []
    for lo, hi in windows(text):
        piece = text[lo:hi]
        runs = token_runs(piece, lo) if hi - lo >= FAST_MIN_CHARS else None
        if runs is None:
            regex = _ASCII_TOKEN if piece.isascii() else _token_regex()
            bounds = list(map(_span, regex.finditer(text, lo, hi)))
            if not bounds:
                continue
            runs = tuple(np.array(bounds, dtype).T)  # type: ignore[assignment]
        assert runs is not None
        starts.append(runs[0].astype(dtype, copy=False))
        ends.append(runs[1].astype(dtype, copy=False))
    if len(starts) <= 1:
        return (starts[0], ends[0]) if starts else (np.zeros(0, dtype), np.zeros(0, dtype))
    return np.concatenate(starts), np.concatenate(ends)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens on code point offsets; whitespace is never part of a token."""
    new = tuple.__new__  # skips NamedTuple's Python-level __new__
    return [
        new(Token, (text[s:e], s, e, i, text[e : e + 1] == " "))
        for i, (s, e) in enumerate(map(_span, _regex_for(text).finditer(text)))
    ]


def align_bounds(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    """``align_span_to_tokens`` on the lists of ``token_bounds``."""
    first = bisect_right(ends, start)
    last = bisect_left(starts, end) - 1
    if first > last:
        return None
    return first, last


def align_span_to_tokens(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """The indices (first, last inclusive) of the tokens a span ``[start, end)`` touches, or None.

    A span boundary that falls inside a token extends the span to cover that whole token ("expand", as
    spaCy's ``char_span(alignment_mode="expand")``): nothing the annotator marked is lost, and the writers
    report such spans as misaligned (see ``is_aligned``). None means the span covers no token at all (it
    holds only whitespace). ``tokens`` must be sorted and non-overlapping, as ``tokenize`` returns them.
    """
    first = bisect_right(tokens, start, key=_by_end)  # first token ending after start
    last = bisect_left(tokens, end, key=_by_start) - 1  # last token starting before end
    if first > last:
        return None
    return first, last


def is_aligned(tokens: list[Token], start: int, end: int, first: int, last: int) -> bool:
    """Whether the span starts exactly at token ``first`` and ends exactly at token ``last``."""
    return tokens[first].start == start and tokens[last].end == end
