"""A large document shown a slice at a time (issue 16); mixed into SpanTextView.

Above ``WINDOW_THRESHOLD`` code points the ``QTextDocument`` holds only a slice of the text, cut at
line boundaries (``domain/text_window.py``), and ``mapping`` becomes a ``WindowMapping`` that speaks
offsets of the whole text. The view's own scroll bar is hidden; a page bar beside the text spans the
whole document, in code points. When the lines on screen come within a quarter of a slice of either
end, the slice moves so they are in its middle, keeping the top line where it was on screen; the
caret, the selection and the outlined span are carried over in stored offsets. A selection the new
slice cannot hold is cleared, with a message (``windowRefused``), rather than stored wrong.

Spans are kept for the whole document in numpy arrays; only those meeting the slice are indexed
for painting.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QScrollBar

from annotator.domain.text_mapping import TextMapping
from annotator.domain.text_window import SLICE_CHARS, WindowMapping, slice_bounds
from annotator.ui.desk.reading_layout import find_title
from annotator.ui.span_index import IntArray, SpanIndex, ViewSpan
from annotator.ui.span_rows import LazySpans, SpanRows

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from annotator.ui.desk.reading_layout import ReadingLayout
    from annotator.ui.span_text_view import SpanTextView

    Base = SpanTextView
else:
    Base = object

EDGE = SLICE_CHARS // 4  # move the slice when the screen comes this close to one of its ends


def refusal(length: int) -> str:
    return (
        f"This document is shown {SLICE_CHARS:,} characters at a time, and a selection can span at most "
        f"that much ({length:,} asked for): the selection was cleared. Select less, or make the span in parts."
    )


class TextWindow(Base):
    _mapping: TextMapping | WindowMapping
    _index: SpanIndex
    _layout: ReadingLayout
    _all_spans: MutableMapping[int, ViewSpan]
    windowMoved: SignalInstance
    windowRefused: SignalInstance

    def _init_window(self) -> None:
        self._windowed = False
        self._moving = False
        self._check_pending = False
        empty = np.zeros(0, dtype=np.int64)
        self._cp_ids: IntArray = empty
        self._cp_starts: IntArray = empty
        self._cp_ends: IntArray = empty
        self._page_bar = QScrollBar(Qt.Orientation.Vertical, self)
        self._page_bar.hide()
        self._page_bar.valueChanged.connect(self._page_bar_moved)
        self.verticalScrollBar().valueChanged.connect(self._after_scroll)

    @property
    def windowed(self) -> bool:
        """Whether the document is shown a slice at a time."""
        return self._windowed

    @property
    def page_bar(self) -> QScrollBar:
        """The scroll bar over the whole document (shown only for a windowed document)."""
        return self._page_bar

    def _right_reserve(self) -> int:
        return self._page_bar.sizeHint().width() if self._windowed else 0

    def _place_page_bar(self) -> None:
        width = self._page_bar.sizeHint().width()
        frame = self.frameWidth()
        self._page_bar.setGeometry(
            QRect(self.width() - frame - width, frame, width, self.height() - 2 * frame)
        )

    # ----- the document and its spans -------------------------------------------------------

    def _open_windowed(self, text: str, spans: Sequence[ViewSpan] | SpanRows) -> None:
        self._windowed = True
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._keep_spans(spans)
        self._show_slice(WindowMapping(text, *slice_bounds(text, 0, 0)))
        self._page_bar.blockSignals(True)
        self._page_bar.setRange(0, len(text))
        self._page_bar.setValue(0)
        self._page_bar.blockSignals(False)
        self._page_bar.show()
        self._update_column()
        self._place_page_bar()
        self._sync_page_bar()

    def _close_windowed(self) -> None:
        if self._windowed:
            self._windowed = False
            self._page_bar.hide()
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            empty = np.zeros(0, dtype=np.int64)
            self._cp_ids, self._cp_starts, self._cp_ends = empty, empty, empty
            self._update_column()

    def _keep_spans(self, spans: Sequence[ViewSpan] | SpanRows) -> None:
        """All spans: by id, and their stored offsets in numpy arrays (200,000 on a 20 MB text)."""
        if isinstance(spans, SpanRows):  # ViewSpans made only for the slice
            self._all_spans = LazySpans(spans)
            self._cp_ids, self._cp_starts, self._cp_ends = spans.ids, spans.starts, spans.ends
            return
        self._all_spans = {s.id: s for s in spans}
        values = list(self._all_spans.values())
        n = len(values)
        self._cp_ids = np.fromiter(map(itemgetter(0), values), dtype=np.int64, count=n)
        self._cp_starts = np.fromiter(map(itemgetter(1), values), dtype=np.int64, count=n)
        self._cp_ends = np.fromiter(map(itemgetter(2), values), dtype=np.int64, count=n)

    def _keep_span(self, span: ViewSpan) -> None:
        if span.id in self._all_spans:
            self._drop_span(span.id)
        self._all_spans[span.id] = span
        self._cp_ids = np.append(self._cp_ids, span.id)
        self._cp_starts = np.append(self._cp_starts, span.start)
        self._cp_ends = np.append(self._cp_ends, span.end)

    def _drop_span(self, span_id: int) -> None:
        if self._all_spans.pop(span_id, None) is not None:
            keep = self._cp_ids != span_id
            self._cp_ids, self._cp_starts, self._cp_ends = (
                self._cp_ids[keep],
                self._cp_starts[keep],
                self._cp_ends[keep],
            )

    def shown_part(self, spans: Sequence[ViewSpan]) -> Sequence[ViewSpan]:
        """Those of ``spans`` that meet the text now in the view (all of them unless windowed)."""
        m = self._mapping
        if not isinstance(m, WindowMapping):
            return spans
        return [s for s in spans if s.start < m.end and s.end > m.base]

    def _spans_in_slice(self, m: WindowMapping) -> list[ViewSpan]:
        rows = np.flatnonzero((self._cp_starts < m.end) & (self._cp_ends > m.base))
        spans = self._all_spans
        return [spans[i] for i in self._cp_ids[rows].tolist()]

    def _show_slice(self, m: WindowMapping) -> None:
        self._mapping = m
        self._format_title(QTextCharFormat())
        self.setPlainText(m.qt_text())
        self._layout.title_block = find_title(self.document()) if m.base == 0 else -1
        self._format_title()
        self._index.set_all(self._spans_in_slice(m), m)
        self.windowMoved.emit()

    # ----- moving the slice -----------------------------------------------------------------

    def bring_into_window(self, start: int, end: int) -> bool:
        """Make stored [start, end) part of the slice shown; False (with a message) when it cannot be."""
        m = self._mapping
        if not isinstance(m, WindowMapping) or m.contains(start, end):
            return True
        if end - start > SLICE_CHARS:
            self.windowRefused.emit(refusal(end - start))
            return False
        self._move_to(WindowMapping(m.text, *slice_bounds(m.text, start, end)), keep_view=False)
        return True

    def _top_line(self) -> tuple[int, int]:
        """(stored offset of the first block on screen, lines of it scrolled past)."""
        top = self.firstVisibleBlock()
        return self._mapping.to_cp_start(
            top.position()
        ), self.verticalScrollBar().value() - top.firstLineNumber()

    def _scroll_to_line(self, cp: int, line: int = 0) -> None:
        block = self.document().findBlock(self._mapping.to_qt(cp))
        self.verticalScrollBar().setValue(block.firstLineNumber() + line)

    def _move_to(self, new: WindowMapping, *, keep_view: bool) -> None:
        old = self._mapping
        self._moving = True
        try:
            top_cp, line = self._top_line()
            cursor = self.textCursor()
            selected = cursor.hasSelection()
            forward = cursor.anchor() <= cursor.position()
            if selected:
                start, end = old.to_cp_range(cursor.selectionStart(), cursor.selectionEnd())
            else:
                start = end = old.to_cp_start(cursor.position())
            self._show_slice(new)
            cursor = QTextCursor(self.document())
            if new.contains(start, end):
                a, b = (start, end) if forward else (end, start)
                cursor.setPosition(new.to_qt(a))
                cursor.setPosition(new.to_qt(b), QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.setPosition(new.to_qt(top_cp))
                if selected:
                    self.windowRefused.emit(refusal(end - start))
            self.setTextCursor(cursor)
            if keep_view:
                self._scroll_to_line(top_cp, line)
        finally:
            self._moving = False
        self._sync_page_bar()

    def _after_scroll(self, _value: int) -> None:
        if not self._windowed or self._moving:
            return
        self._sync_page_bar()
        self._schedule_edge_check()

    def _schedule_edge_check(self) -> None:
        if self._windowed and not self._check_pending:
            self._check_pending = True
            QTimer.singleShot(0, self.check_window)

    def check_window(self) -> None:
        """Move the slice when the lines on screen are near one of its ends (not while dragging)."""
        self._check_pending = False
        m = self._mapping
        if not isinstance(m, WindowMapping) or self._moving:
            return
        if QApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            return  # a selection is being dragged: the release checks again
        top_cp, _line = self._top_line()
        bottom = self.cursorForPosition(QPoint(0, max(self.viewport().height() - 1, 0)))
        bottom_cp = m.to_cp_end(bottom.position())
        near_top = m.base > 0 and top_cp - m.base < EDGE
        near_bottom = m.end < len(m.text) and m.end - bottom_cp < EDGE
        if near_top or near_bottom:
            bounds = slice_bounds(m.text, top_cp, top_cp)
            if bounds != (m.base, m.end):
                self._move_to(WindowMapping(m.text, *bounds), keep_view=True)

    def _sync_page_bar(self) -> None:
        m = self._mapping
        if not isinstance(m, WindowMapping):
            return
        top_cp, _line = self._top_line()
        bottom = self.cursorForPosition(QPoint(0, max(self.viewport().height() - 1, 0)))
        page = max(m.to_cp_end(bottom.position()) - top_cp, 1)
        bar = self._page_bar
        bar.blockSignals(True)
        bar.setPageStep(page)
        bar.setSingleStep(max(page // 10, 1))
        bar.setValue(top_cp)
        bar.blockSignals(False)

    def _page_bar_moved(self, value: int) -> None:
        """The page bar was dragged or clicked: show the line holding stored offset ``value`` on top."""
        m = self._mapping
        if not isinstance(m, WindowMapping) or self._moving:
            return
        inside = m.base + (EDGE if m.base > 0 else 0) <= value
        inside = inside and value <= m.end - (EDGE if m.end < len(m.text) else 0)
        if not inside:
            self._move_to(WindowMapping(m.text, *slice_bounds(m.text, value, value)), keep_view=False)
        self._moving = True
        try:
            self._scroll_to_line(value)
        finally:
            self._moving = False
        self._sync_page_bar()
