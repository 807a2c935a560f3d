"""The tokenizer's rules (tokenize.py) on a window of plain text, by array operations instead of the regex.

Most text needs only three of the rules: separators, words (letters and digits, apostrophes between
word characters) and single other characters. A window without combining marks, ZWJ/ZWNJ, skin
tones, tag characters or regional indicators (flags) is tokenized here by
classifying every character through one table and finding where runs of word characters start and
end: 5-10x faster than the regex's finditer, which made a Match object per token. Any other window
returns None and goes to the regex (joined emoji, flags, Arabic or Indic marks).

Without extenders the regex's other branches take one character each: an ideograph (not a word
character: each is its own token), a pictograph (``So``) and any other non-separator character.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

SEPARATOR, WORD, APOSTROPHE, OTHER, EXTENDER = 0, 1, 2, 3, 4


@cache
def _classes() -> npt.NDArray[np.uint8]:
    """The class of every BMP code point (surrogates: EXTENDER, so such a window goes to the regex)."""
    import numpy as np

    from annotator.domain.tokenize import _APOSTROPHES, _HAN_RANGES, _SEPARATOR, _ZWNJ_ZWJ

    category = unicodedata.category
    kinds = {"L": WORD, "N": WORD, "M": EXTENDER}
    table = bytearray(kinds.get(category(chr(cp))[0], OTHER) for cp in range(0x10000))
    for lo, hi in _HAN_RANGES:
        for cp in range(lo, min(hi, 0xFFFF) + 1):
            if table[cp] == WORD:
                table[cp] = OTHER  # each ideograph is its own token
    table[_ZWNJ_ZWJ[0] : _ZWNJ_ZWJ[1] + 1] = bytes([EXTENDER]) * (_ZWNJ_ZWJ[1] - _ZWNJ_ZWJ[0] + 1)
    table[0xD800:0xE000] = bytes([EXTENDER]) * 0x800
    for ch in _APOSTROPHES:
        table[ord(ch)] = APOSTROPHE
    bmp = "".join(map(chr, range(0xD800))) + "\0" * 0x800 + "".join(map(chr, range(0xE000, 0x10000)))
    for found in _SEPARATOR.finditer(bmp):
        if not 0xD800 <= found.start() < 0xE000:
            table[found.start()] = SEPARATOR
    return np.frombuffer(bytes(table), np.uint8)


def code_points(piece: str) -> npt.NDArray[np.uint8] | npt.NDArray[np.uint16] | npt.NDArray[np.uint32]:
    """The code points of ``piece``, one array item per character."""
    import numpy as np

    if piece.isascii():
        return np.frombuffer(piece.encode("ascii"), np.uint8)
    units = piece.encode("utf-16-le", "surrogatepass")
    if len(units) == 2 * len(piece):  # no astral character (no surrogate pair)
        return np.frombuffer(units, np.uint16)
    return np.frombuffer(piece.encode("utf-32-le", "surrogatepass"), np.uint32)


@cache
def _astral_class(cp: int) -> int:
    """The class of a character beyond the BMP, by the regex's rules: a pictograph (``So``) or an
    ideograph alone is one token; regional indicators (flags pair them), skin tones, tags and marks
    need the regex."""
    from annotator.domain.tokenize import _REGIONAL_INDICATORS, _SKIN_TONES, _TAGS

    if _REGIONAL_INDICATORS[0] <= cp <= _REGIONAL_INDICATORS[1] or _SKIN_TONES[0] <= cp <= _SKIN_TONES[1]:
        return EXTENDER
    if _TAGS[0] <= cp <= _TAGS[1]:
        return EXTENDER
    if cp >= 0x40000 and not 0xE0000 <= cp < 0xE1000:
        return OTHER  # (beyond the planes the regex's classes cover: any other character)
    major = unicodedata.category(chr(cp))[0]
    if major == "M":
        return EXTENDER
    if major in "LN":
        return OTHER if 0x20000 <= cp <= 0x3FFFF else WORD  # (ideographs: one token each)
    return OTHER


def _classify(piece: str) -> npt.NDArray[np.uint8]:
    import numpy as np

    codes = code_points(piece)
    if codes.dtype != np.uint32:
        return _classes()[codes]
    cls = _classes()[codes & 0xFFFF]
    astral = np.flatnonzero(codes > 0xFFFF)
    found, which = np.unique(codes[astral], return_inverse=True)
    cls[astral] = np.array([_astral_class(int(cp)) for cp in found], np.uint8)[which]
    return cls


def token_runs(piece: str, offset: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """The (starts, ends) of the tokens of ``piece`` plus ``offset``, or None if it needs the regex."""
    import numpy as np

    cls = _classify(piece)
    n = len(cls)
    if not n or cls.max() == EXTENDER:
        return None
    word = cls == WORD
    apostrophes = np.flatnonzero(cls[1:-1] == APOSTROPHE) + 1
    if apostrophes.size:  # one between two word characters is inside the word
        joined = apostrophes[word[apostrophes - 1] & word[apostrophes + 1]]
        word[joined] = True
    single = (cls != SEPARATOR) & ~word
    before = np.zeros(n, bool)
    before[1:] = word[:-1]
    after = np.zeros(n, bool)
    after[:-1] = word[1:]
    starts = np.flatnonzero(single | (word & ~before))
    ends = np.flatnonzero(single | (word & ~after))
    starts += offset
    ends += offset + 1
    return starts, ends
