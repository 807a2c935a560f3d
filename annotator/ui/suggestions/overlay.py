"""Suggestions drawn over the article: outlined in the label's colour, never filled, fainter as
the score drops; the selected one with a heavier outline. Offsets stay stored code points: the
overlay keeps its own SpanIndex, mapped through the view's TextMapping like the spans'."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextBlock

from annotator.services.suggestions.service import SuggestionInfo
from annotator.ui.span_index import SpanIndex, ViewSpan
from annotator.ui.span_painter import level_rect
from annotator.ui.span_text_view import SpanTextView

MIN_ALPHA, MAX_ALPHA = 70, 255  # score 0 -> faint, score 1 -> the label's full colour


def outline_alpha(score: float) -> int:
    return int(MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * min(max(score, 0.0), 1.0))


class SuggestionOverlay:
    def __init__(self, view: SpanTextView) -> None:
        self.view = view
        self.index = SpanIndex()
        self.scores: dict[int, float] = {}
        self.selected: int | None = None
        self._spans: list[ViewSpan] = []  # all of them; the index holds those in a large document's slice
        view.overlays.append(self.paint)
        view.windowMoved.connect(self._remap)

    def show(self, suggestions: Sequence[SuggestionInfo], colors: dict[int, tuple[str, str]]) -> None:
        """colors: label id -> (colour, name)."""
        spans = [
            ViewSpan(s.id, s.start, s.end, *colors.get(s.label_id, ("#999999", "?"))) for s in suggestions
        ]
        self._spans = spans
        self._remap()
        self.scores = {s.id: s.score for s in suggestions}
        if self.selected not in self.scores:
            self.selected = None
        self.view.viewport().update()

    def remove(self, suggestion_id: int) -> None:
        """One suggestion gone (accepted): cheaper than showing all again (numpy deletes)."""
        self._spans = [s for s in self._spans if s.id != suggestion_id]
        if self.index.remove(suggestion_id):
            self.scores.pop(suggestion_id, None)
            if self.selected == suggestion_id:
                self.selected = None
            self.view.viewport().update()

    def _remap(self) -> None:
        self.index.set_all(self.view.shown_part(self._spans), self.view.mapping)

    def select(self, suggestion_id: int | None) -> None:
        self.selected = suggestion_id
        self.view.viewport().update()

    def rects(self, suggestion_id: int) -> list[tuple[float, float, float, float]]:
        """Where a suggestion is drawn now (viewport rectangles), for tests and hints."""
        pieces = self.view.pieces_of(self.index, self.view.visible_blocks())
        return [p.rect.getRect() for p in pieces if p.span_id == suggestion_id]

    def paint(self, painter: QPainter, blocks: list[tuple[QTextBlock, float]]) -> None:
        if len(self.index) == 0:
            return
        pieces = self.view.pieces_of(self.index, blocks)
        if not pieces:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        names = self.index.color_names
        for piece in pieces:
            color = QColor(names[piece.color])
            if not color.isValid():
                color = QColor("#888888")
            chosen = piece.span_id == self.selected
            color.setAlpha(MAX_ALPHA if chosen else outline_alpha(self.scores.get(piece.span_id, 1.0)))
            pen = QPen(color, 2.5 if chosen else 1.3)
            pen.setStyle(Qt.PenStyle.SolidLine if chosen else Qt.PenStyle.DashLine)
            painter.setPen(pen)
            rect: QRectF = level_rect(piece).adjusted(0.5, 0.5, -0.5, -0.5)
            painter.drawRoundedRect(rect, 2.0, 2.0)
