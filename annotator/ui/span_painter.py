"""Geometry and painting of span highlights behind the text of a QPlainTextEdit.

Spans are painted on the viewport before the base class draws the text, so the text stays on top
and translucent fills of overlapping spans blend (DESIGN.md section 8: extra selections are too
slow and let the last colour win).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QTextBlock, QTextLine

from annotator.ui.span_index import IntArray, SpanIndex

FILL_ALPHA = 72  # of 255: light enough that black text on any label colour stays readable
DARK_FILL_ALPHA = 110  # on a dark page the tint needs more weight to show; light text stays readable
NOTE_MARK = 9.0  # px: the folded corner that says "this span has a note"
BAR_ALPHA = 230
MAX_LEVEL = 3  # deeper nesting draws like the third level
LEVEL_STEP = 3.0  # px each nesting level is inset by, so every level's underline shows
BAR_HEIGHT = 2.0


@dataclass(slots=True)
class SpanPiece:
    """One line's worth of one span, in viewport coordinates (full line height)."""

    span_id: int
    rect: QRectF
    depth: int
    color: int


def _x(line: QTextLine, pos: int) -> float:
    # PySide6 returns (x, adjusted position); x already includes the line's own x.
    return float(line.cursorToX(pos)[0])


def block_pieces(block: QTextBlock, top: float, index: SpanIndex, rows: IntArray) -> list[SpanPiece]:
    """Line rectangles of the given index rows inside ``block`` whose layout starts at ``top``."""
    layout = block.layout()
    line_count = layout.lineCount()
    if line_count == 0 or rows.size == 0:
        return []
    lines = [layout.lineAt(i) for i in range(line_count)]
    line_starts = [ln.textStart() for ln in lines]
    bp = block.position()
    text_len = block.length() - 1  # the rest is the paragraph separator
    break_w = max(4.0, layout.font().pointSizeF() * 0.5)
    rtl = block.textDirection() == Qt.LayoutDirection.RightToLeft
    pieces: list[SpanPiece] = []
    for row in rows.tolist():
        a = max(int(index.starts[row]) - bp, 0)
        e = int(index.ends[row]) - bp
        b = min(e, text_len)
        covers_break = e > text_len
        span_id, depth, color = int(index.ids[row]), int(index.depth[row]), int(index.colors[row])
        i = max(bisect_right(line_starts, a) - 1, 0)
        while i < line_count:
            line = lines[i]
            ls = line_starts[i]
            le = ls + line.textLength()
            if ls > b or (ls == b and not (covers_break and i == line_count - 1)):
                break
            pa, pb = max(a, ls), min(b, le)
            last = i == line_count - 1
            if pa < pb or (last and covers_break):
                x1, x2 = _x(line, pa), _x(line, pb)
                left, right = min(x1, x2), max(x1, x2)
                if last and covers_break:  # show that the span runs on past the line break
                    if rtl:
                        left -= break_w
                    else:
                        right += break_w
                rect = QRectF(left, top + line.y(), right - left, line.height())
                pieces.append(SpanPiece(span_id, rect, depth, color))
            i += 1
    return pieces


def level_rect(piece: SpanPiece) -> QRectF:
    """The fill rectangle: nested spans are inset so the outer span still shows around them."""
    level = min(piece.depth, MAX_LEVEL)
    return piece.rect.adjusted(0.0, 1.0 + level * LEVEL_STEP * 0.5, 0.0, -(1.0 + level * LEVEL_STEP))


class SpanPainter:
    """Paints span pieces; keeps QColor objects per colour id of the index."""

    def __init__(self) -> None:
        self._fills: list[QColor] = []
        self._bars: list[QColor] = []
        self._outlines: list[QColor] = []
        self._dark = False

    def set_dark(self, dark: bool) -> None:
        """Colours for a dark page (stronger tint, lighter outline); forgets the cached colours."""
        if dark != self._dark:
            self._dark = dark
            self._fills, self._bars, self._outlines = [], [], []

    def _sync_colors(self, names: list[str]) -> None:
        for name in names[len(self._fills) :]:
            base = QColor(name)
            if not base.isValid():
                base = QColor("#888888")
            fill, bar = QColor(base), QColor(base)
            fill.setAlpha(DARK_FILL_ALPHA if self._dark else FILL_ALPHA)
            bar.setAlpha(BAR_ALPHA)
            self._fills.append(fill)
            self._bars.append(bar)
            self._outlines.append(base.lighter(150) if self._dark else base.darker(170))

    def mark_color(self, color: int) -> QColor:
        return self._outlines[color]

    def paint(
        self, painter: QPainter, pieces: list[SpanPiece], color_names: list[str], selected: int | None
    ) -> None:
        self._sync_colors(color_names)
        painter.setPen(Qt.PenStyle.NoPen)
        # Outer spans first, so the inset inner ones land on top of them.
        for piece in sorted(pieces, key=lambda p: p.depth):
            rect = level_rect(piece)
            painter.fillRect(rect, self._fills[piece.color])
            bar = QRectF(rect.left(), rect.bottom() - BAR_HEIGHT, rect.width(), BAR_HEIGHT)
            painter.fillRect(bar, self._bars[piece.color])
        if selected is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for piece in pieces:
            if piece.span_id == selected:
                pen = QPen(self._outlines[piece.color], 2.0)
                pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
                painter.setPen(pen)
                painter.drawRect(level_rect(piece).adjusted(-1.0, -1.0, 1.0, 1.0))


def note_mark_pieces(pieces: list[SpanPiece], noted: set[int]) -> list[SpanPiece]:
    """For each span with a note, the piece its mark goes on: the last line it is drawn on."""
    last: dict[int, SpanPiece] = {}
    for piece in pieces:
        if piece.span_id in noted:
            seen = last.get(piece.span_id)
            key = (piece.rect.top(), piece.rect.right())
            if seen is None or key > (seen.rect.top(), seen.rect.right()):
                last[piece.span_id] = piece
    return list(last.values())


def paint_note_marks(painter: QPainter, marked: list[SpanPiece], bars: SpanPainter) -> None:
    """A small folded corner at the top right of the span's last piece, in the label's colour."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    for piece in marked:
        rect = level_rect(piece)
        right, top = rect.right(), rect.top()
        path = QPainterPath(QPointF(right - NOTE_MARK, top))
        path.lineTo(right, top)
        path.lineTo(right, top + NOTE_MARK)
        path.closeSubpath()
        painter.fillPath(path, bars.mark_color(piece.color))


def piece_contains(piece: SpanPiece, point: QPointF) -> bool:
    return piece.rect.contains(point)
