"""A slice of a large stored text, and offsets that speak the whole text (issue 16).

A 20 MB text does not fit one ``QTextDocument`` in a second (``setPlainText`` alone takes longer),
so a large document is shown a slice at a time. ``WindowMapping`` maps between stored code point
offsets of the whole text and the Qt positions of the slice now shown: the slice's own
``TextMapping`` plus its base offset. Offsets outside the slice clamp to its ends, so callers check
``contains`` first.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from annotator.domain.text_mapping import TextMapping

WINDOW_THRESHOLD = 2_000_000  # texts longer than this (code points) are shown a slice at a time
SLICE_CHARS = 300_000  # about this many code points are in the slice shown
LINE_SEARCH = 20_000  # how far a slice end may move to land on a line boundary


def _snap_start(text: str, lo: int) -> int:
    """A slice start at or before ``lo``: the start of a line when one is near, never inside ``\\r\\n``."""
    if lo <= 0:
        return 0
    found = text.rfind("\n", max(0, lo - LINE_SEARCH), lo)
    if found >= 0:
        return found + 1
    return lo - 1 if text[lo - 1] == "\r" and text[lo] == "\n" else lo


def _snap_end(text: str, hi: int) -> int:
    """A slice end at or after ``hi``: just after a line break when one is near, never inside ``\\r\\n``."""
    if hi >= len(text):
        return len(text)
    found = text.find("\n", hi, hi + LINE_SEARCH)
    if found >= 0:
        return found + 1
    return hi + 1 if text[hi - 1] == "\r" and text[hi] == "\n" else hi


def slice_bounds(text: str, start: int, end: int, size: int = SLICE_CHARS) -> tuple[int, int]:
    """A slice of about ``size`` code points holding [start, end), centred on it, cut at lines."""
    n = len(text)
    start, end = min(max(start, 0), n), min(max(end, 0), n)
    room = max(size - (end - start), 0)
    lo = max(0, start - room // 2)
    hi = min(n, max(end, lo + size))
    lo = max(0, min(lo, hi - size))
    return _snap_start(text, min(lo, start)), _snap_end(text, max(hi, end))


class WindowMapping:
    """Stored offsets of the whole ``text`` <-> Qt positions of the slice [base, end) shown."""

    __slots__ = ("base", "end", "local", "text")

    def __init__(self, text: str, base: int, end: int) -> None:
        self.text = text
        self.base = base
        self.end = end
        self.local = TextMapping(text[base:end])

    def __len__(self) -> int:
        return len(self.text)

    def contains(self, start: int, end: int) -> bool:
        """Whether stored [start, end) lies inside the slice shown."""
        return self.base <= start and end <= self.end

    def qt_text(self) -> str:
        return self.local.qt_text()

    @property
    def qt_length(self) -> int:
        return self.local.qt_length

    def to_qt(self, cp: int) -> int:
        return self.local.to_qt(cp - self.base)

    def to_qt_many(self, cps: npt.ArrayLike) -> npt.NDArray[np.int64]:
        return self.local.to_qt_many(np.asarray(cps, dtype=np.int64) - self.base)

    def to_cp_start(self, qt: int) -> int:
        return self.base + self.local.to_cp_start(qt)

    def to_cp_end(self, qt: int) -> int:
        return self.base + self.local.to_cp_end(qt)

    def to_cp_range(self, qt_start: int, qt_end: int) -> tuple[int, int]:
        start, end = self.local.to_cp_range(qt_start, qt_end)
        return self.base + start, self.base + end
