"""Spans handed to a windowed view as the rows they were read as (issue 16).

Making 200,000 ``ViewSpan`` tuples for a 20 MB document takes a third of a second and ~25 MB, yet
a windowed view draws only the few thousand in its slice. ``SpanRows`` carries the rows by id with
their stored offsets in numpy arrays; ``LazySpans`` is the view's mapping of them, making a
``ViewSpan`` when one is asked for and keeping those the view was given since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from operator import itemgetter
from typing import Any

import numpy as np

from annotator.ui.span_index import IntArray, ViewSpan


class SpanRows:
    """``rows``: id -> a row; ``make`` turns a row into a ViewSpan; ``fields``: where the row keeps
    its id, start and end (for SpanInfo: 0, 4, 5)."""

    def __init__(
        self, rows: Mapping[int, Any], make: Callable[[Any], ViewSpan], fields: tuple[int, int, int]
    ) -> None:
        self.rows = dict(rows)  # (a copy: the caller's dict changes on its own schedule)
        self.make = make
        values = list(self.rows.values())
        n = len(values)
        i, s, e = fields
        self.ids: IntArray = np.fromiter(map(itemgetter(i), values), dtype=np.int64, count=n)
        self.starts: IntArray = np.fromiter(map(itemgetter(s), values), dtype=np.int64, count=n)
        self.ends: IntArray = np.fromiter(map(itemgetter(e), values), dtype=np.int64, count=n)

    def __len__(self) -> int:
        return len(self.rows)

    def view_spans(self) -> list[ViewSpan]:
        make = self.make
        return [make(row) for row in self.rows.values()]


class LazySpans(MutableMapping[int, ViewSpan]):
    """id -> ViewSpan over ``SpanRows``: rows become ViewSpans when read; ViewSpans set are kept."""

    def __init__(self, source: SpanRows) -> None:
        self._rows: dict[int, Any] = source.rows
        self._make = source.make

    def __getitem__(self, span_id: int) -> ViewSpan:
        row = self._rows[span_id]
        return row if isinstance(row, ViewSpan) else self._make(row)

    def __setitem__(self, span_id: int, span: ViewSpan) -> None:
        self._rows[span_id] = span

    def __delitem__(self, span_id: int) -> None:
        del self._rows[span_id]

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._rows

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)
