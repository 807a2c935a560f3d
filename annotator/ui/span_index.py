"""The spans a view shows, indexed by Qt position so a paint finds the visible ones quickly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from annotator.domain.text_mapping import TextMapping
from annotator.domain.text_window import WindowMapping

IntArray = npt.NDArray[np.int64]


class ViewSpan(NamedTuple):
    """A span as the view shows it; ``start``/``end`` are stored code point offsets."""

    id: int
    start: int
    end: int
    color: str  # '#rrggbb'
    label: str
    note: str | None = None


class SpanIndex:
    """Sorted interval index over spans in Qt positions.

    Rows are kept sorted by (start ascending, end descending) so containers come before what they
    contain. ``depth`` counts the spans still open where a span starts: it nests the drawing of
    overlapping spans and is stable under scrolling because it does not depend on what is visible.
    """

    def __init__(self) -> None:
        self.spans: dict[int, ViewSpan] = {}
        self.color_names: list[str] = []
        self._color_ids: dict[str, int] = {}
        empty = np.zeros(0, dtype=np.int64)
        self.starts: IntArray = empty
        self.ends: IntArray = empty
        self.ids: IntArray = empty
        self.colors: IntArray = empty
        self.depth: IntArray = empty
        self._cummax_end: IntArray = empty

    def __len__(self) -> int:
        return len(self.spans)

    def _color_id(self, color: str) -> int:
        cid = self._color_ids.get(color)
        if cid is None:
            cid = self._color_ids[color] = len(self.color_names)
            self.color_names.append(color)
        return cid

    def set_all(self, spans: Iterable[ViewSpan], mapping: TextMapping | WindowMapping) -> None:
        self.spans = {s.id: s for s in spans}
        n = len(self.spans)
        values = self.spans.values()
        cp_starts = np.fromiter((s.start for s in values), dtype=np.int64, count=n)
        cp_ends = np.fromiter((s.end for s in values), dtype=np.int64, count=n)
        ids = np.fromiter(self.spans.keys(), dtype=np.int64, count=n)
        colors = np.fromiter((self._color_id(s.color) for s in values), dtype=np.int64, count=n)
        starts = mapping.to_qt_many(cp_starts).astype(np.int64)
        ends = mapping.to_qt_many(cp_ends).astype(np.int64)
        order = np.lexsort((-ends, starts))
        self.starts, self.ends = starts[order], ends[order]
        self.ids, self.colors = ids[order], colors[order]
        self._refresh()

    def add(self, span: ViewSpan, mapping: TextMapping | WindowMapping) -> None:
        if span.id in self.spans:
            self.remove(span.id)
        self.spans[span.id] = span
        qs, qe = mapping.to_qt(span.start), mapping.to_qt(span.end)
        lo = int(np.searchsorted(self.starts, qs, side="left"))
        hi = int(np.searchsorted(self.starts, qs, side="right"))
        row = lo + int(np.count_nonzero(self.ends[lo:hi] >= qe))
        self.starts = np.insert(self.starts, row, qs)
        self.ends = np.insert(self.ends, row, qe)
        self.ids = np.insert(self.ids, row, span.id)
        self.colors = np.insert(self.colors, row, self._color_id(span.color))
        self._refresh()

    def remove(self, span_id: int) -> bool:
        if self.spans.pop(span_id, None) is None:
            return False
        row = int(np.flatnonzero(self.ids == span_id)[0])
        self.starts = np.delete(self.starts, row)
        self.ends = np.delete(self.ends, row)
        self.ids = np.delete(self.ids, row)
        self.colors = np.delete(self.colors, row)
        self._refresh()
        return True

    def _refresh(self) -> None:
        # Spans ending at or before a start all sort before it, so rank minus those = open spans.
        ends_sorted = np.sort(self.ends)
        rank = np.arange(self.starts.size, dtype=np.int64)
        self.depth = np.maximum(rank - np.searchsorted(ends_sorted, self.starts, side="right"), 0)
        self._cummax_end = np.maximum.accumulate(self.ends) if self.ends.size else self.ends

    def rows_overlapping(self, q0: int, q1: int) -> IntArray:
        """Rows of spans that overlap Qt positions [q0, q1), in index order."""
        k = int(np.searchsorted(self.starts, q1, side="left"))
        j = int(np.searchsorted(self._cummax_end, q0, side="right"))
        if j >= k:
            return np.zeros(0, dtype=np.int64)
        return j + np.flatnonzero(self.ends[j:k] > q0)

    def row_of(self, span_id: int) -> int | None:
        hits = np.flatnonzero(self.ids == span_id)
        return int(hits[0]) if hits.size else None
