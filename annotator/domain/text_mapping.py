"""Map between stored code point offsets and the positions Qt uses for the same text.

Stored offsets count Unicode code points (DESIGN.md section 4). ``QPlainTextEdit.setPlainText``
counts UTF-16 units, turns ``\\r\\n`` into one paragraph break and drops a leading byte order mark.
We hand Qt ``display_text`` (leading BOMs removed, ``\\r\\n`` -> ``\\n``), so every Qt position is
the cumulative UTF-16 width of the stored code points before it, where the dropped characters
(leading BOMs, the ``\\r`` of each ``\\r\\n``) have width 0. Lone ``\\r``, U+2028 and U+2029 stay
one character each, as Qt keeps them.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np
import numpy.typing as npt

BOM = "\ufeff"


def _leading_bom_count(text: str) -> int:
    # Qt drops only the first BOM, so a second one would then be leading too: drop them all.
    return len(text) - len(text.lstrip(BOM))


def _astral_offsets(text: str) -> npt.NDArray[np.int64]:
    """Sorted offsets of the code points outside the BMP (two UTF-16 units, a surrogate pair)."""
    if text.isascii():
        return np.zeros(0, dtype=np.int64)
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if units.size == len(text):
        return np.zeros(0, dtype=np.int64)
    high = np.flatnonzero(
        (units[:-1] >= 0xD800) & (units[:-1] < 0xDC00) & (units[1:] >= 0xDC00) & (units[1:] < 0xE000)
    )
    # The j-th pair starts at unit k: j pairs before it took one extra unit each.
    return high - np.arange(high.size, dtype=np.int64)


class TextMapping:
    """Both-way offset mapping for one stored text; immutable once built.

    Kept sparse: most code points are one Qt position wide, so only the exceptions are stored
    (the code points wider than one UTF-16 unit, and those Qt drops), sorted. A 20 MB text with a
    line break every hundred characters maps in a few MB instead of 4 bytes per code point.
    """

    __slots__ = ("_astral", "_dropped", "_leading_boms", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._leading_boms = _leading_bom_count(text)
        self._astral = _astral_offsets(text)
        crlf = text.count("\r\n")
        dropped = np.empty(self._leading_boms + crlf, dtype=np.int64)
        dropped[: self._leading_boms] = np.arange(self._leading_boms)
        if crlf:  # the \r of each \r\n
            found = re.finditer("\r\n", text)
            dropped[self._leading_boms :] = np.fromiter(
                (m.start() for m in found), dtype=np.int64, count=crlf
            )
        self._dropped = dropped

    @property
    def display_text(self) -> str:
        """The text as Qt is given it (made on each call: a 20 MB text is not kept twice)."""
        return self.text[self._leading_boms :].replace("\r\n", "\n")

    def qt_text(self) -> str:
        """What the view gives Qt: the stored text without its leading BOMs. Qt itself takes each
        ``\\r\\n`` as one break, so a 20 MB text is not copied to replace them; and ``display_text``
        would be misread where a ``\\r`` precedes a ``\\r\\n`` (replacing leaves ``\\r\\n``)."""
        return self.text[self._leading_boms :] if self._leading_boms else self.text

    @property
    def qt_length(self) -> int:
        """Number of Qt positions in the displayed text (excluding Qt's final block separator)."""
        return len(self.text) + self._astral.size - self._dropped.size

    def __len__(self) -> int:
        return len(self.text)

    def to_qt(self, cp: int) -> int:
        """Qt position of stored offset ``cp`` (clamped to the text)."""
        cp = min(max(cp, 0), len(self.text))
        wide = int(np.searchsorted(self._astral, cp, side="left"))
        return cp + wide - int(np.searchsorted(self._dropped, cp, side="left"))

    def to_qt_many(self, cps: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Vectorised ``to_qt`` for an array of stored offsets."""
        idx = np.clip(np.asarray(cps, dtype=np.int64), 0, len(self.text))
        wide = np.searchsorted(self._astral, idx, side="left")
        return idx + wide - np.searchsorted(self._dropped, idx, side="left")

    def _first_at_or_after(self, qt: int) -> int:
        """The first code point whose Qt position is >= ``qt`` (positions never decrease)."""
        return bisect_left(range(len(self.text) + 1), qt, key=self.to_qt)

    def to_cp_start(self, qt: int) -> int:
        """Stored offset for a selection that starts at Qt position ``qt``.

        Takes the first code point at that position, so a selection starting at a CRLF break
        includes its ``\\r``; skips leading BOMs, which nobody can see or select; a position
        inside a surrogate pair includes the whole character.
        """
        qt = min(max(qt, 0), self.qt_length)
        i = self._first_at_or_after(qt)
        if self.to_qt(i) > qt:
            i -= 1
        return max(i, self._leading_boms)

    def to_cp_end(self, qt: int) -> int:
        """Stored offset for a selection that ends at Qt position ``qt`` (end-exclusive).

        Ending before a CRLF break excludes the whole ``\\r\\n``, ending after it includes both;
        a position inside a surrogate pair includes the whole character.
        """
        qt = min(max(qt, 0), self.qt_length)
        return self._first_at_or_after(qt)

    def to_cp_range(self, qt_start: int, qt_end: int) -> tuple[int, int]:
        """Stored ``(start, end)`` for a Qt selection, in either order."""
        lo, hi = sorted((qt_start, qt_end))
        start, end = self.to_cp_start(lo), self.to_cp_end(hi)
        return start, max(start, end)
