"""Map between stored code point offsets and the positions Qt uses for the same text.

Stored offsets count Unicode code points (DESIGN.md section 4). ``QPlainTextEdit.setPlainText``
counts UTF-16 units, turns ``\\r\\n`` into one paragraph break and drops a leading byte order mark.
We hand Qt ``display_text`` (leading BOMs removed, ``\\r\\n`` -> ``\\n``), so every Qt position is
the cumulative UTF-16 width of the stored code points before it, where the dropped characters
(leading BOMs, the ``\\r`` of each ``\\r\\n``) have width 0. Lone ``\\r``, U+2028 and U+2029 stay
one character each, as Qt keeps them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BOM = "\ufeff"
_BOM_CP = 0xFEFF
_CR = 0x0D
_LF = 0x0A


def _leading_bom_count(text: str) -> int:
    # Qt drops only the first BOM, so a second one would then be leading too: drop them all.
    return len(text) - len(text.lstrip(BOM))


class TextMapping:
    """Both-way offset mapping for one stored text; immutable once built."""

    __slots__ = ("_leading_boms", "_qpos", "display_text", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._leading_boms = _leading_bom_count(text)
        self.display_text = text[self._leading_boms :].replace("\r\n", "\n")
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        # Widths in UTF-16 units, kept to one byte each: a 2 MB text must map in a few ms.
        widths = np.ones(cps.size, dtype=np.uint8)
        np.add(widths, cps > 0xFFFF, out=widths, casting="unsafe")
        if cps.size > 1:
            widths[:-1][(cps[:-1] == _CR) & (cps[1:] == _LF)] = 0
        widths[: self._leading_boms] = 0
        del cps
        # _qpos[i] is the Qt position where code point i starts; _qpos[len] is the Qt length.
        dtype = np.int32 if 2 * len(text) < 2**31 else np.int64
        self._qpos = np.zeros(widths.size + 1, dtype=dtype)
        np.cumsum(widths, dtype=dtype, out=self._qpos[1:])

    @property
    def qt_length(self) -> int:
        """Number of Qt positions in the displayed text (excluding Qt's final block separator)."""
        return int(self._qpos[-1])

    def __len__(self) -> int:
        return len(self.text)

    def to_qt(self, cp: int) -> int:
        """Qt position of stored offset ``cp`` (clamped to the text)."""
        return int(self._qpos[min(max(cp, 0), len(self.text))])

    def to_qt_many(self, cps: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Vectorised ``to_qt`` for an array of stored offsets."""
        idx = np.clip(np.asarray(cps, dtype=np.int64), 0, len(self.text))
        return self._qpos[idx]

    def to_cp_start(self, qt: int) -> int:
        """Stored offset for a selection that starts at Qt position ``qt``.

        Takes the first code point at that position, so a selection starting at a CRLF break
        includes its ``\\r``; skips leading BOMs, which nobody can see or select; a position
        inside a surrogate pair includes the whole character.
        """
        qt = min(max(qt, 0), self.qt_length)
        i = int(np.searchsorted(self._qpos, self._key(qt), side="left"))
        if self._qpos[i] > qt:
            i -= 1
        return max(i, self._leading_boms)

    def to_cp_end(self, qt: int) -> int:
        """Stored offset for a selection that ends at Qt position ``qt`` (end-exclusive).

        Ending before a CRLF break excludes the whole ``\\r\\n``, ending after it includes both;
        a position inside a surrogate pair includes the whole character.
        """
        qt = min(max(qt, 0), self.qt_length)
        return int(np.searchsorted(self._qpos, self._key(qt), side="left"))

    def _key(self, qt: int) -> np.integer:
        # The key must have the array's dtype: a Python int makes numpy cast the whole
        # 2-million-entry array to int64 on every call (13 ms instead of microseconds).
        return self._qpos.dtype.type(qt)

    def to_cp_range(self, qt_start: int, qt_end: int) -> tuple[int, int]:
        """Stored ``(start, end)`` for a Qt selection, in either order."""
        lo, hi = sorted((qt_start, qt_end))
        start, end = self.to_cp_start(lo), self.to_cp_end(hi)
        return start, max(start, end)
