"""Read-only article view that draws annotation spans and speaks stored code point offsets."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QFrame, QPlainTextEdit, QToolTip, QWidget

from annotator.domain.text_mapping import TextMapping
from annotator.domain.text_window import SLICE_CHARS, WINDOW_THRESHOLD, WindowMapping
from annotator.ui.desk.reading_layout import ReadingLayout, find_title
from annotator.ui.desk.reading_typography import COLUMN_CHARS, DOCUMENT_MARGIN, ReadingTypography
from annotator.ui.desk.theme import is_dark
from annotator.ui.span_index import SpanIndex, ViewSpan
from annotator.ui.span_painter import SpanPainter, SpanPiece, block_pieces, note_mark_pieces, paint_note_marks
from annotator.ui.span_rows import SpanRows
from annotator.ui.text_window import TextWindow

__all__ = ["SpanTextView", "ViewSpan"]


class SpanTextView(TextWindow, ReadingTypography, QPlainTextEdit):
    """Shows one document and its spans; all offsets in the API are stored code point offsets.

    Qt positions never leave this class: ``TextMapping`` converts at the boundary. A text longer
    than ``WINDOW_THRESHOLD`` is shown a slice at a time (ui/text_window.py); the API still speaks
    offsets of the whole text.
    """

    spanClicked = Signal(int)  # a click (no drag) on a span: the innermost span under the mouse
    selectedSpanChanged = Signal(int)  # the outlined span; -1 when none
    selectionChangedRange = Signal()  # the text selection changed; read selected_range()
    unboundKey = Signal(str)  # a plain character key that no shortcut took (e.g. a former label key)
    windowMoved = Signal()  # a large document's slice moved: Qt positions changed, stored ones did not
    windowRefused = Signal(str)  # what a large document's slice could not do (e.g. a too long selection)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mapping: TextMapping | WindowMapping = TextMapping("")
        self._index = SpanIndex()
        self._all_spans = self._index.spans  # every span by id (the index holds the slice's if windowed)
        self._painter = SpanPainter()
        self._selected_id: int | None = None
        self._press_pos: QPoint | None = None
        self._zoom_steps = 0
        self._wheel_accum = 0
        self.column_chars = COLUMN_CHARS
        document = QTextDocument(self)
        self._layout = ReadingLayout(document)
        document.setDocumentLayout(self._layout)
        self.setDocument(document)
        self._init_window()

        # setReadOnly resets the interaction flags, so it goes first.
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setCursorWidth(2)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        # The side margins belong to the page: paint them like the text background (a role, not a
        # colour, so a change of theme repaints them too).
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self._apply_font()
        self.selectionChanged.connect(self.selectionChangedRange)
        # Painted over the text after it: (painter, visible blocks with their tops). Suggestions.
        self.overlays: list[Callable[[QPainter, list[tuple[QTextBlock, float]]], None]] = []

    # ----- document and spans -------------------------------------------------------------

    @property
    def mapping(self) -> TextMapping | WindowMapping:
        """Stored offsets <-> Qt positions of the text in the view (of its slice, if windowed)."""
        return self._mapping

    def set_document(self, text: str, spans: Sequence[ViewSpan] | SpanRows = ()) -> None:
        """Show ``text`` (as stored) with ``spans``; clears the selected span."""
        self._selected_id = None
        if len(text) > WINDOW_THRESHOLD:
            self._open_windowed(text, spans)
        else:
            self._close_windowed()
            if isinstance(spans, SpanRows):
                spans = spans.view_spans()
            self._mapping = TextMapping(text)
            # The old title's format would carry over into the new text: drop it first.
            self._format_title(QTextCharFormat())
            self.setPlainText(self._mapping.qt_text())
            self._layout.title_block = find_title(self.document())
            self._format_title()
            self._index.set_all(spans, self._mapping)
            self._all_spans = self._index.spans
        # Open on the first words, not on a blank first line.
        first = self.document().findBlockByNumber(max(self._layout.title_block, 0))
        cursor = QTextCursor(self.document())
        cursor.setPosition(first.position() if self._layout.title_block >= 0 else 0)
        self.setTextCursor(cursor)
        self.viewport().update()

    def set_spans(self, spans: Sequence[ViewSpan] | SpanRows) -> None:
        m = self._mapping
        if isinstance(m, WindowMapping):
            self._keep_spans(spans)
            self._index.set_all(self._spans_in_slice(m), m)
        else:
            if isinstance(spans, SpanRows):
                spans = spans.view_spans()
            self._index.set_all(spans, m)
            self._all_spans = self._index.spans
        if self._selected_id is not None and self._selected_id not in self._all_spans:
            self.select_span(None)
        self.viewport().update()

    def add_span(self, span: ViewSpan) -> None:
        m = self._mapping
        if isinstance(m, WindowMapping):
            self._keep_span(span)
            if span.start < m.end and span.end > m.base:
                self._index.add(span, m)
            else:
                self._index.remove(span.id)
        else:
            self._index.add(span, m)
        self.viewport().update()

    def update_span(self, span: ViewSpan) -> None:
        """Replace the span with the same id (bounds, label, colour or note changed)."""
        self.add_span(span)

    def remove_span(self, span_id: int) -> None:
        known = span_id in self._all_spans
        if self._windowed:
            self._drop_span(span_id)
        self._index.remove(span_id)
        if known:
            if self._selected_id == span_id:
                self.select_span(None)
            self.viewport().update()

    def spans(self) -> list[ViewSpan]:
        return list(self._all_spans.values())

    def span(self, span_id: int) -> ViewSpan | None:
        return self._all_spans.get(span_id)

    # ----- selection ----------------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """The text selection as stored ``(start, end)`` offsets, or None if nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self._mapping.to_cp_range(cursor.selectionStart(), cursor.selectionEnd())
        return (start, end) if start < end else None

    def set_selected_range(self, start: int, end: int) -> None:
        """Select stored offsets [start, end) in the view (refused, with ``windowRefused``, when a
        windowed document cannot hold that much in one slice)."""
        if not self.bring_into_window(start, end):
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._mapping.to_qt(start))
        cursor.setPosition(self._mapping.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def caret_offset(self) -> int:
        """The caret's stored offset."""
        return self._mapping.to_cp_start(self.textCursor().position())

    def place_caret(self, offset: int) -> None:
        """Put the caret (no selection) at stored ``offset``, moving a large document's slice to it."""
        self.bring_into_window(offset, offset)
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._mapping.to_qt(offset))
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    @property
    def selected_span_id(self) -> int | None:
        return self._selected_id

    def select_span(self, span_id: int | None) -> None:
        """Outline ``span_id`` (None clears it)."""
        if span_id is not None and span_id not in self._all_spans:
            span_id = None
        if span_id == self._selected_id:
            return
        self._selected_id = span_id
        self.viewport().update()
        self.selectedSpanChanged.emit(-1 if span_id is None else span_id)

    def scroll_to_span(self, span_id: int) -> None:
        """Put the caret at the span's start and scroll it into view (centred if it was off screen)."""
        span = self._all_spans.get(span_id)
        if span is None:
            return
        if span.end - span.start <= SLICE_CHARS:  # the whole span, when a slice can hold it
            self.bring_into_window(span.start, span.end)
        self.place_caret(span.start)
        if not self.viewport().rect().contains(self.cursorRect()):
            self.centerCursor()

    # ----- geometry -----------------------------------------------------------------------

    def _visible_blocks(self, bottom: float) -> list[tuple[QTextBlock, float]]:
        blocks: list[tuple[QTextBlock, float]] = []
        block = self.firstVisibleBlock()
        if not block.isValid():
            return blocks
        # blockBoundingGeometry walks from the top block on every call: add up heights instead.
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        while block.isValid() and top <= bottom:
            height = self.blockBoundingRect(block).height()
            if block.isVisible() and height > 0:
                blocks.append((block, top))
            top += height
            block = block.next()
        return blocks

    def visible_blocks(self) -> list[tuple[QTextBlock, float]]:
        return self._visible_blocks(self.viewport().height())

    def _pieces(
        self, blocks: list[tuple[QTextBlock, float]], index: SpanIndex | None = None
    ) -> list[SpanPiece]:
        """Pieces of the spans of ``index`` (default: this view's spans) in these blocks."""
        index = self._index if index is None else index
        if not blocks or len(index) == 0:
            return []
        first, last = blocks[0][0], blocks[-1][0]
        rows = index.rows_overlapping(first.position(), last.position() + last.length())
        if rows.size == 0:
            return []
        starts, ends = index.starts[rows], index.ends[rows]
        pieces: list[SpanPiece] = []
        for block, top in blocks:
            bp = block.position()
            in_block = rows[(starts < bp + block.length()) & (ends > bp)]
            if in_block.size:
                pieces.extend(block_pieces(block, top, index, in_block))
        return pieces

    def span_ids_at(self, pos: QPoint | QPointF) -> list[int]:
        """Ids of the spans drawn under viewport position ``pos``, outermost first."""
        point = QPointF(pos)
        block = self.cursorForPosition(point.toPoint()).block()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        hits = {p.span_id for p in self._pieces([(block, top)]) if p.rect.contains(point)}
        spans = [self._all_spans[i] for i in hits]
        spans.sort(key=lambda s: (s.start, -s.end, s.id))
        return [s.id for s in spans]

    def innermost_span_at(self, pos: QPoint | QPointF) -> int | None:
        ids = self.span_ids_at(pos)
        if not ids:
            return None
        spans = self._all_spans
        return min(ids, key=lambda i: (spans[i].end - spans[i].start, -ids.index(i)))

    def span_rects(self, span_id: int) -> list[tuple[float, float, float, float]]:
        """Viewport rectangles (x, y, w, h) the span is drawn in right now (for tests and hints)."""
        blocks = self._visible_blocks(self.viewport().height())
        return [p.rect.getRect() for p in self._pieces(blocks) if p.span_id == span_id]

    # ----- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        blocks = self._visible_blocks(event.rect().bottom())
        pieces = self._pieces(blocks)
        if pieces:
            self._painter.set_dark(is_dark(self.palette()))
            painter = QPainter(self.viewport())
            try:
                painter.setClipRect(event.rect())
                self._painter.paint(painter, pieces, self._index.color_names, self._selected_id)
            finally:
                painter.end()  # the base class opens its own painter on the same viewport
        super().paintEvent(event)
        marked = self.note_marks(pieces)
        if marked or self.overlays:
            painter = QPainter(self.viewport())
            try:
                painter.setClipRect(event.rect())
                if marked:
                    paint_note_marks(painter, marked, self._painter)
                for overlay in self.overlays:
                    overlay(painter, blocks)
            finally:
                painter.end()

    def pieces_of(self, index: SpanIndex, blocks: list[tuple[QTextBlock, float]]) -> list[SpanPiece]:
        """Where the spans of another index (suggestions) are drawn in these visible blocks."""
        return self._pieces(blocks, index)

    def note_marks(self, pieces: list[SpanPiece] | None = None) -> list[SpanPiece]:
        """The pieces that carry a note mark (the last line of each span with a note) on screen."""
        if pieces is None:
            pieces = self._pieces(self._visible_blocks(self.viewport().height()))
        spans = self._all_spans
        noted = {p.span_id for p in pieces if spans[p.span_id].note}
        return note_mark_pieces(pieces, noted) if noted else []

    # ----- mouse, tooltips ----------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        left = event.button() == Qt.MouseButton.LeftButton
        self._press_pos = event.position().toPoint() if left else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self._schedule_edge_check()  # a dragged selection may have scrolled near the slice's end
        press, self._press_pos = self._press_pos, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        if (pos - press).manhattanLength() >= QApplication.startDragDistance():
            return
        if self.textCursor().hasSelection():
            return
        span_id = self.innermost_span_at(pos)
        self.select_span(span_id)
        if span_id is not None:
            self.spanClicked.emit(span_id)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_text_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_text_at(self, pos: QPoint | QPointF) -> str:
        """Rich text naming every span under ``pos`` (outermost first), with notes."""
        parts = []
        for span_id in self.span_ids_at(pos):
            span = self._all_spans[span_id]
            line = f"<b>{html.escape(span.label)}</b>"
            if span.note:
                line += f"<br/><i>{html.escape(span.note)}</i>"
            parts.append(line)
        return "<hr/>".join(parts)

    # ----- keys ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.zoom_key(event):
            return
        if self._windowed and event.matches(QKeySequence.StandardKey.MoveToStartOfDocument):
            self.place_caret(0)  # the document's start, not the slice's
            self.verticalScrollBar().setValue(0)
            return
        if self._windowed and event.matches(QKeySequence.StandardKey.MoveToEndOfDocument):
            self.place_caret(len(self._mapping))
            bar = self.verticalScrollBar()
            bar.setValue(bar.maximum())  # (ensureCursorVisible stops short of a blank last line)
            return
        text = event.text()
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if plain and len(text) == 1 and text.isprintable() and not text.isspace():
            self.unboundKey.emit(text)  # the read-only view would drop it silently
            event.accept()
            return
        super().keyPressEvent(event)
        if self._windowed:
            self.check_window()  # now, not from the event loop: the next key may come first
