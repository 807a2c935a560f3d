"""The article view's reading typography that is not layout: the reading font and its zoom, the
centred measure, the title's format. Mixed into SpanTextView (a QPlainTextEdit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent, QResizeEvent, QTextCharFormat, QTextCursor, QWheelEvent

from annotator.ui.desk.reading_layout import ReadingLayout

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPlainTextEdit

    Base = QPlainTextEdit
else:
    Base = object

READING_FONTS = ["Charter", "Georgia", "Source Serif 4", "Noto Serif", "DejaVu Serif", "Times New Roman"]
BASE_POINT_SIZE = 12.0
MIN_POINT_SIZE, MAX_POINT_SIZE = 6.0, 48.0
COLUMN_CHARS = 72  # a comfortable reading measure; wider windows get side margins instead
DOCUMENT_MARGIN = 18.0
TITLE_SCALE = 1.3  # the title line is set this much larger, and bold
MIN_COLUMN_CHARS = 30  # the view asks for at least this much width (side panels give way first)


class ReadingTypography(Base):
    _layout: ReadingLayout
    _zoom_steps: int
    _wheel_accum: int
    column_chars: int

    @property
    def title_block(self) -> int:
        """Block number of the line set apart as the title, or -1."""
        return self._layout.title_block

    def _format_title(self, title: QTextCharFormat | None = None) -> None:
        """Set the title line bold and larger (a format only: the text and offsets are unchanged)."""
        number = self._layout.title_block
        if number < 0:
            return
        block = self.document().findBlockByNumber(number)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        if title is None:
            title = QTextCharFormat()
            title.setFontWeight(QFont.Weight.Bold)
            title.setFontPointSize(self.font().pointSizeF() * TITLE_SCALE)
        cursor.setCharFormat(title)
        cursor.setBlockCharFormat(title)

    def _apply_font(self) -> None:
        font = QFont()
        font.setFamilies(READING_FONTS)
        font.setStyleHint(QFont.StyleHint.Serif)
        size = BASE_POINT_SIZE + self._zoom_steps
        font.setPointSizeF(min(max(size, MIN_POINT_SIZE), MAX_POINT_SIZE))
        self.setFont(font)
        self._format_title()
        self.setMinimumWidth(
            int(self.fontMetrics().averageCharWidth() * MIN_COLUMN_CHARS + 2 * DOCUMENT_MARGIN)
        )
        self._update_column()

    def zoom_in(self) -> None:
        if BASE_POINT_SIZE + self._zoom_steps < MAX_POINT_SIZE:
            self._zoom_steps += 1
            self._apply_font()

    def zoom_out(self) -> None:
        if BASE_POINT_SIZE + self._zoom_steps > MIN_POINT_SIZE:
            self._zoom_steps -= 1
            self._apply_font()

    def reset_zoom(self) -> None:
        self._zoom_steps = 0
        self._apply_font()

    @property
    def point_size(self) -> float:
        return self.font().pointSizeF()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        # Trackpads send small deltas: zoom one step per notch's worth.
        self._wheel_accum += event.angleDelta().y()
        while self._wheel_accum >= 120:
            self._wheel_accum -= 120
            self.zoom_in()
        while self._wheel_accum <= -120:
            self._wheel_accum += 120
            self.zoom_out()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Also receives the viewport's resizes. A margin change resizes the viewport again, and
        # that second event lets the base class lay the text out for the new width.
        self._update_column()
        super().resizeEvent(event)
        self._place_page_bar()

    def _right_reserve(self) -> int:
        """Room kept on the right for a scroll bar of the view's own (a large document's page bar)."""
        return 0

    def _place_page_bar(self) -> None:
        """Put that scroll bar in its room (nothing to place here)."""

    def _update_column(self) -> None:
        """Centre a column of ``column_chars`` characters when the widget is wider than that."""
        side = 0
        if self.column_chars > 0:
            column = self.fontMetrics().averageCharWidth() * self.column_chars + 2 * DOCUMENT_MARGIN
            scrollbar = self.verticalScrollBar().sizeHint().width()
            side = int(max(0.0, (self.width() - scrollbar - column) / 2))
        right = side + self._right_reserve()
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (side, right):
            self.setViewportMargins(side, 0, right, 0)

    def zoom_key(self, event: QKeyEvent) -> bool:
        """Ctrl+= / Ctrl+- / Ctrl+0; True when the key was one of them."""
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        key = event.key()
        if key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.reset_zoom()
        else:
            return False
        return True
