"""SpanTextView on a real widget: selections map to stored offsets, spans are drawn and clickable."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.ui.span_text_view import SpanTextView, ViewSpan

# Everything Qt counts differently from Python, in one stored text.
TEXT = (
    "\ufeffHeadline 😀 line\r\n"
    "Cafe\u0301 naïve 👩‍👩‍👧 family 🇯🇵 flag\r\n"
    "中文文本 测试\r\n"
    "מרחב עולם\r\n"
    "مرحبا بالعالم\u2028next line\u2029para 𝐀𝐁𝐂 bold\r\n"
    "end"
)
TARGETS = [
    "Headline",
    "😀",
    "line\r\nCafe\u0301",
    "Cafe\u0301",
    "👩‍👩‍👧",
    "🇯🇵 flag",
    "中文文本",
    "עולם",
    "بالعالم",
    "next line",
    "𝐀𝐁𝐂",
    "bold\r\nend",
    "end",
]
BLUE = "#4e79a7"


@pytest.fixture
def view(qtbot) -> SpanTextView:
    widget = SpanTextView()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.set_document(TEXT, [])
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def qt_span_of(view: SpanTextView, target: str) -> tuple[int, int]:
    """Where Qt itself shows ``target``: found in Qt's text, counted in UTF-16 units."""
    shown = view.document().toPlainText()
    display_target = target.replace("\r\n", "\n")
    index = shown.index(display_target)

    def units(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2

    start = units(shown[:index])
    return start, start + units(display_target)


def test_mapping_agrees_with_qt_document(view: SpanTextView) -> None:
    doc = view.document()
    mapping = view.mapping
    assert doc.characterCount() - 1 == mapping.qt_length
    for i, ch in enumerate(TEXT):
        if i == 0 or (ch == "\r" and TEXT[i + 1] == "\n"):
            continue  # the leading BOM and the \r of a CRLF are not shown
        q = mapping.to_qt(i)
        if ch in "\r\n\u2029":
            assert doc.characterAt(q) == "\u2029"  # Qt's paragraph separator
            continue
        units = len(ch.encode("utf-16-le")) // 2
        shown = "".join(doc.characterAt(q + k) for k in range(units))
        assert shown.encode("utf-16-le", "surrogatepass").decode("utf-16-le") == ch


@pytest.mark.parametrize("target", TARGETS)
def test_cursor_selection_maps_to_stored_text(view: SpanTextView, target: str) -> None:
    qs, qe = qt_span_of(view, target)
    cursor = QTextCursor(view.document())
    cursor.setPosition(qs)
    cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    start, end = view.selected_range()
    assert TEXT[start:end] == target


@pytest.mark.parametrize("target", TARGETS)
def test_backwards_cursor_selection(view: SpanTextView, target: str) -> None:
    qs, qe = qt_span_of(view, target)
    cursor = QTextCursor(view.document())
    cursor.setPosition(qe)
    cursor.setPosition(qs, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    start, end = view.selected_range()
    assert TEXT[start:end] == target


@pytest.mark.parametrize("target", TARGETS)
def test_keyboard_selection_with_shift_arrows(qtbot, view: SpanTextView, target: str) -> None:
    qs, qe = qt_span_of(view, target)
    cursor = QTextCursor(view.document())
    cursor.setPosition(qs)
    view.setTextCursor(cursor)
    view.setFocus()
    for _ in range(len(target) + 2):
        position = view.textCursor().position()
        if position >= qe:
            break
        # Logical cursor movement: in a right-to-left paragraph Left moves forwards.
        rtl = view.textCursor().block().textDirection() == Qt.LayoutDirection.RightToLeft
        key = Qt.Key.Key_Left if rtl else Qt.Key.Key_Right
        qtbot.keyClick(view, key, Qt.KeyboardModifier.ShiftModifier)
        assert view.textCursor().position() > position, "Shift+arrow did not extend the selection"
    assert view.textCursor().position() == qe
    start, end = view.selected_range()
    assert TEXT[start:end] == target


def caret_point(view: SpanTextView, qt_pos: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_pos)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left(), rect.center().y())


@pytest.mark.parametrize("target", ["Headline", "中文文本", "𝐀𝐁𝐂", "naïve 👩‍👩‍👧"])
def test_mouse_drag_selection(qtbot, view: SpanTextView, target: str) -> None:
    qs, qe = qt_span_of(view, target)
    start_point, end_point = caret_point(view, qs), caret_point(view, qe)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start_point)
    qtbot.mouseMove(viewport, (start_point + end_point) / 2)
    qtbot.mouseMove(viewport, end_point)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end_point)
    start, end = view.selected_range()
    assert TEXT[start:end] == target


def test_no_selection_is_none(view: SpanTextView) -> None:
    view.clear_selection()
    assert view.selected_range() is None


def test_set_selected_range_round_trip(view: SpanTextView) -> None:
    start = TEXT.index("👩‍👩‍👧")
    view.set_selected_range(start, start + len("👩‍👩‍👧 family"))
    assert view.selected_range() == (start, start + len("👩‍👩‍👧 family"))


def span_of(i: int, target: str, color: str = BLUE, label: str = "strategic messaging") -> ViewSpan:
    start = TEXT.index(target)
    return ViewSpan(i, start, start + len(target), color, label, f"note {i}")


def rect_center(view: SpanTextView, span_id: int, which: int = 0) -> QPoint:
    x, y, w, h = view.span_rects(span_id)[which]
    return QPoint(int(x + w / 2), int(y + h / 2))


def test_click_selects_innermost_span(qtbot, view: SpanTextView) -> None:
    outer = span_of(1, "Cafe\u0301 naïve 👩‍👩‍👧 family", label="framing")
    inner = span_of(2, "naïve", "#59a14f", "economic outcome")
    view.set_spans([outer, inner])
    with qtbot.waitSignal(view.spanClicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect_center(view, 2))
    assert blocker.args == [2]
    assert view.selected_span_id == 2
    # Where only the outer span is drawn, the click picks the outer one.
    x, y, _w, h = view.span_rects(1)[0]
    with qtbot.waitSignal(view.spanClicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(x + 3), int(y + h / 2)))
    assert blocker.args == [1]
    # A click on plain text clears the outlined span.
    plain = caret_point(view, qt_span_of(view, "中文文本")[0] + 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=plain)
    assert view.selected_span_id is None


def test_tooltip_lists_all_nested_spans(view: SpanTextView) -> None:
    view.set_spans([span_of(1, "Headline 😀 line", label="framing"), span_of(2, "😀", label="leverage")])
    text = view.tooltip_text_at(rect_center(view, 2))
    assert "framing" in text and "leverage" in text and "note 2" in text
    assert text.index("framing") < text.index("leverage")


def test_span_crossing_a_crlf_break_draws_on_both_lines(view: SpanTextView) -> None:
    view.set_spans([span_of(1, "line\r\nCafe\u0301")])
    rects = view.span_rects(1)
    assert len(rects) == 2
    assert rects[1][1] > rects[0][1]


def test_add_update_remove_span(view: SpanTextView) -> None:
    view.add_span(span_of(5, "中文文本"))
    assert len(view.span_rects(5)) == 1
    view.update_span(span_of(5, "中文文本 测试", "#f28e2b", "leverage"))
    assert view.span(5).label == "leverage"
    assert view.span_rects(5)[0][2] > 0
    view.select_span(5)
    view.remove_span(5)
    assert view.span_rects(5) == []
    assert view.selected_span_id is None


def test_select_and_scroll_to_span(qtbot, view: SpanTextView) -> None:
    long_text = "filler line\n" * 400 + "the target is here\n" + "more\n" * 50
    start = long_text.index("target")
    view.set_document(long_text, [ViewSpan(9, start, start + 6, BLUE, "framing", None)])
    with qtbot.waitSignal(view.selectedSpanChanged) as blocker:
        view.select_span(9)
    assert blocker.args == [9]
    view.scroll_to_span(9)
    assert view.span_rects(9), "the span is not on screen after scroll_to_span"


def test_paint_tints_span_with_label_colour(qtbot, view: SpanTextView) -> None:
    view.set_spans([span_of(1, "Headline 😀 line")])
    view.clear_selection()
    qtbot.wait(10)
    image = view.viewport().grab().toImage()
    background = view.palette().color(view.viewport().backgroundRole())
    x, y, w, h = view.span_rects(1)[0]
    pixels = Counter(image.pixelColor(int(x + dx), int(y + h * 0.4)).name() for dx in range(2, int(w) - 2))
    tint = QColor(pixels.most_common(1)[0][0])
    assert tint != background
    # A light blue: blue is the strongest channel, and it is still light enough for black text.
    assert tint.blue() > tint.red()
    assert tint.lightness() > 170
    outside = image.pixelColor(int(x + w + 40), int(y + h * 0.4))
    assert outside.name() == background.name() or outside.lightness() < 128  # plain page or a glyph


def test_zoom_keys_and_wheel(qtbot, view: SpanTextView) -> None:
    base = view.point_size
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size > base
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size == base
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size < base
    view.reset_zoom()
    assert view.point_size == base


def test_selection_signal(qtbot, view: SpanTextView) -> None:
    with qtbot.waitSignal(view.selectionChangedRange):
        view.set_selected_range(1, 5)


def test_many_none_returning_calls_do_not_crash(view: SpanTextView) -> None:
    # PySide6 6.12.0 on CPython 3.11 dies after ~5,000 of these (DESIGN.md section 9).
    cursor = QTextCursor(view.document())
    length = view.mapping.qt_length
    viewport = view.viewport()
    for i in range(20_000):
        viewport.update()
        cursor.setPosition(i % length)
    assert cursor.position() == 19_999 % length


def test_ctrl_wheel_zooms(view: SpanTextView) -> None:
    base = view.point_size
    center = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        center,
        QPointF(view.viewport().mapToGlobal(center.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.point_size > base


def test_tooltip_event_shows_labels(qtbot, view: SpanTextView) -> None:
    view.set_spans([span_of(1, "Headline 😀 line", label="framing"), span_of(2, "😀", label="leverage")])
    pos = rect_center(view, 2)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert "framing" in QToolTip.text() and "leverage" in QToolTip.text()
    QToolTip.hideText()


def test_qt_reads_the_text_given_to_it_as_the_mapping_expects(qtbot) -> None:
    """The view hands Qt the stored text itself when Qt reads it as display_text (no copy of a
    20 MB text); every mix of breaks, BOMs and astral characters lands on the same positions."""
    import random

    from PySide6.QtWidgets import QPlainTextEdit

    from annotator.domain.text_mapping import TextMapping

    view, reference = SpanTextView(), QPlainTextEdit()
    qtbot.addWidget(view)
    qtbot.addWidget(reference)
    rng = random.Random(11)
    pieces = ["a", "\r\n", "\r", "\n", "\u2028", "\u2029", "😀", "\ufeff", "中", "ש", "\r\r\n", "\n\r"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        mapping = TextMapping(text)
        view.set_document(text)
        assert view.document().characterCount() == mapping.qt_length + 1, repr(text)
        if "\r\r\n" not in text:  # (display_text's \r\n, left by the replace, Qt would collapse)
            reference.setPlainText(mapping.display_text)
            assert view.toPlainText() == reference.toPlainText(), repr(text)
        for cp, char in enumerate(text):  # every shown character sits where the mapping says
            if cp >= len(text) - len(text.lstrip("\ufeff")) and char not in "\r\n\u2028\u2029":
                cursor = view.textCursor()
                cursor.setPosition(mapping.to_qt(cp))
                cursor.setPosition(mapping.to_qt(cp + 1), cursor.MoveMode.KeepAnchor)
                assert cursor.selectedText() == char, repr(text)
