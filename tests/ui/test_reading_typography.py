"""Reading typography of the article view, measured on the real widget: measure, spacing, title,
blank lines, paragraph direction. The text and the offsets stay as stored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QTextCursor

from annotator.ui.span_text_view import SpanTextView, ViewSpan

WORDS = "The absence of a deal signals continued gaps between rhetoric and execution. " * 6
SINGLE = f"\nA title that is short\n{WORDS}\n{WORDS}\nשלום עולם זה טקסט\nend\n\n\n\n"
DOUBLE = f"\nA title that is short\n\n{WORDS}\n\n{WORDS}\n\nשלום עולם זה טקסט\n\nend\n\n\n\n"


@pytest.fixture
def view(qtbot) -> SpanTextView:
    widget = SpanTextView()
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def block_of(view: SpanTextView, text: str, needle: str):
    """The block showing ``needle``, laid out (an unlaid block has no lines to measure)."""
    return laid_out(view, view.document().findBlock(view.mapping.to_qt(text.index(needle))))


def laid_out(view: SpanTextView, block):
    assert view.blockBoundingGeometry(block).height() > 0
    return block


def top_of(view: SpanTextView, block) -> float:
    return view.blockBoundingGeometry(block).translated(view.contentOffset()).top()


def line_tops(block) -> list[float]:
    layout = block.layout()
    return [layout.lineAt(i).y() for i in range(layout.lineCount())]


def test_opens_on_the_title_not_on_a_blank_line(view: SpanTextView) -> None:
    view.set_document(SINGLE)
    assert view.title_block == 1
    title = view.document().findBlockByNumber(1)
    assert view.textCursor().block().blockNumber() == 1
    assert top_of(view, title) < 30  # the blank first line takes no room
    assert view.firstVisibleBlock().blockNumber() <= 1


def test_title_is_bold_and_larger_than_the_body(view: SpanTextView) -> None:
    view.set_document(SINGLE)
    title = laid_out(view, view.document().findBlockByNumber(view.title_block))
    fmt = QTextCursor(title)
    fmt.movePosition(QTextCursor.MoveOperation.NextCharacter)
    assert fmt.charFormat().fontWeight() == QFont.Weight.Bold
    assert fmt.charFormat().fontPointSize() > view.point_size * 1.2
    body = block_of(view, SINGLE, "The absence")
    assert title.layout().lineAt(0).height() > body.layout().lineAt(0).height()


def test_wrapped_lines_have_reading_line_spacing(view: SpanTextView) -> None:
    view.set_document(SINGLE)
    body = block_of(view, SINGLE, "The absence")
    view.blockBoundingGeometry(body)
    tops = line_tops(body)
    assert len(tops) >= 3, "the paragraph should wrap in a 72-character column"
    height = body.layout().lineAt(0).height()
    assert tops[1] - tops[0] >= 1.4 * height


def test_paragraphs_are_spaced_the_same_whether_separated_by_one_or_two_breaks(
    view: SpanTextView,
) -> None:
    tops = []
    for text in (SINGLE, DOUBLE):
        view.set_document(text)
        first = block_of(view, text, "The absence")
        second = first.next()
        while not second.text().strip():
            second = second.next()
        laid_out(view, second)
        first_bottom = top_of(view, first) + first.layout().lineAt(first.layout().lineCount() - 1).y()
        first_bottom += first.layout().lineAt(0).height()
        gap = top_of(view, second) + second.layout().lineAt(0).y() - first_bottom
        line_gap = (
            first.layout().lineAt(1).y() - first.layout().lineAt(0).y() - first.layout().lineAt(0).height()
        )
        assert gap > line_gap + 0.4 * first.layout().lineAt(0).height(), "no space between paragraphs"
        tops.append(top_of(view, second))
    assert tops[0] == pytest.approx(tops[1], abs=1.0)


def test_measure_is_capped_and_centred(view: SpanTextView) -> None:
    view.set_document(SINGLE)
    margins = view.viewportMargins()
    assert margins.left() > 100 and abs(margins.left() - margins.right()) <= 1
    body = block_of(view, SINGLE, "The absence")
    view.blockBoundingGeometry(body)
    widest = max(body.layout().lineAt(i).naturalTextWidth() for i in range(body.layout().lineCount()))
    assert widest < 90 * view.fontMetrics().averageCharWidth()
    assert view.viewport().width() < 800


def test_hebrew_paragraph_is_right_aligned_and_offsets_stay_exact(qtbot, view: SpanTextView) -> None:
    start = SINGLE.index("עולם")
    view.set_document(SINGLE, [ViewSpan(1, start, start + 4, "#4e79a7", "framing", None)])
    qtbot.wait(10)
    ((x, _y, w, _h),) = view.span_rects(1)
    english = block_of(view, SINGLE, "end")
    assert x + w > view.viewport().width() * 0.6  # drawn at the right, not the left
    assert english.layout().lineAt(0).cursorToX(0)[0] < 40
    # A click on the drawn word still selects the stored word.
    rect_center = QPoint(int(x + w / 2), int(_y + _h / 2))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect_center)
    selected = view.selected_range()
    assert selected is not None and SINGLE[selected[0] : selected[1]] == "עולם"


def test_typography_survives_zoom(view: SpanTextView) -> None:
    view.set_document(SINGLE)
    view.zoom_in()
    view.zoom_in()
    body = block_of(view, SINGLE, "The absence")
    view.blockBoundingGeometry(body)
    tops = line_tops(body)
    assert tops[1] - tops[0] >= 1.4 * body.layout().lineAt(0).height()
    title = view.document().findBlockByNumber(view.title_block)
    cursor = QTextCursor(title)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    assert cursor.charFormat().fontPointSize() > view.point_size * 1.2


def test_stored_text_is_shown_unchanged(view: SpanTextView) -> None:
    view.set_document(DOUBLE)
    assert view.document().toPlainText() == DOUBLE
    assert view.mapping.qt_length == len(DOUBLE)
