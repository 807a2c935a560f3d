"""Reading typography for the plain-text view: line spacing, space between paragraphs, a set-apart
title, blank lines folded away, and each paragraph aligned by its own direction.

``QPlainTextDocumentLayout`` ignores block formats (margins, line height, alignment), and a
``QTextEdit`` is far too slow on a 2 MB text (DESIGN.md section 8). So this layout lets the base
class lay a block out as usual, then re-places its lines when the view first asks for the block's
geometry: the same lines (the same text positions, so the offset mapping is untouched), spaced
further apart and aligned to the paragraph's direction, and the block reports a taller rectangle.
Only blocks the view asks about (those on screen) are re-placed.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QTextBlock, QTextDocument, QTextLayout, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout

LINE_SPACING = 1.5  # line pitch as a multiple of the font's line height
PARAGRAPH_GAP = 0.7  # space after a paragraph, in line heights
TITLE_GAP = 1.2  # space after the title, in line heights
# A block whose layout was re-placed has its first line below y = 0: the base class always puts
# it at 0, so after the base class re-lays a block out (new width, new font) it is done again.
MIN_TOP = 0.5


class ReadingLayout(QPlainTextDocumentLayout):
    """Spacing and alignment on top of the plain-text layout; knows nothing of spans."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.title_block = -1  # block number of the title, -1 when there is none
        self.line_spacing = LINE_SPACING

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        if not block.isVisible():
            return rect
        layout = block.layout()
        if layout.lineCount() == 0:
            return rect
        if is_blank(block):
            # Blank lines separate paragraphs; the paragraph gap already shows that, so they
            # take no room (a text opens on its first words, and trailing blank lines vanish).
            return QRectF(rect.left(), rect.top(), rect.width(), 0.0)
        if layout.lineAt(0).y() < MIN_TOP:
            self._place_lines(block, layout)
        last = layout.lineAt(layout.lineCount() - 1)
        pitch_extra = self._pitch_extra(last.height())
        gap = (TITLE_GAP if block.blockNumber() == self.title_block else PARAGRAPH_GAP) * last.height()
        bottom = last.y() + last.height() + pitch_extra / 2 + gap
        if not block.next().isValid():
            bottom += self.document().documentMargin()
        return QRectF(rect.left(), rect.top(), rect.width(), bottom)

    def _pitch_extra(self, line_height: float) -> float:
        return max(1.0, round(line_height * (self.line_spacing - 1.0)))

    def _place_lines(self, block: QTextBlock, layout: QTextLayout) -> None:
        """Move the base class's lines apart (same breaks, so no new layout) and align a
        right-to-left paragraph to the right. Alignment is applied when a line is drawn or
        measured, so changing the option does not lay the block out again."""
        if block.textDirection() == Qt.LayoutDirection.RightToLeft:
            option = QTextOption(layout.textOption())
            option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
            layout.setTextOption(option)
        y = 0.0
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            extra = self._pitch_extra(line.height())
            line.setPosition(QPointF(line.x(), y + max(extra / 2, MIN_TOP)))
            y += line.height() + extra


def is_blank(block: QTextBlock) -> bool:
    length = block.length()
    if length <= 1:
        return True
    if length > 64:
        return False  # a long run of spaces is rare; treat it as text rather than scan it
    return not block.text().strip()


def find_title(document: QTextDocument) -> int:
    """The block number of the title: the first non-blank line, when more text follows it."""
    block = document.firstBlock()
    while block.isValid() and is_blank(block):
        block = block.next()
    if not block.isValid() or block.length() > 300:
        return -1
    following = block.next()
    while following.isValid() and is_blank(following):
        following = following.next()
    return block.blockNumber() if following.isValid() else -1
