"""A document above the window threshold, shown a slice at a time (issue 16), on a real SpanTextView:
stored offsets stay exact after the slice moved, spans near and across the slice's ends paint and
take clicks, moving back and forth keeps the line on screen, and what cannot work is refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.domain.text_window import SLICE_CHARS, WINDOW_THRESHOLD, WindowMapping, slice_bounds
from annotator.ui.span_rows import SpanRows
from annotator.ui.span_text_view import SpanTextView, ViewSpan

# Every line holds what Qt counts differently from Python (CRLF, astral and ZWJ emoji, combining
# marks, CJK, RTL), so whichever line a slice is cut at, they sit at its ends.
LINE = "{:07d} Cafe\u0301 👩‍👩‍👧 東京の 𝐀𝐁 שלום עולם مرحبا and more words here\r\n"
BLUE, RED = "#4e79a7", "#e15759"


def big_text() -> str:
    lines = []
    n = 0
    size = 0
    while size <= WINDOW_THRESHOLD + 200_000:
        line = LINE.format(n)
        lines.append(line)
        size += len(line)
        n += 1
    return "Title line\r\n" + "".join(lines)


TEXT = big_text()


def qt_selected(view: SpanTextView) -> str:
    """The selection as Qt shows it, paragraph breaks back as the stored CRLF."""
    return view.textCursor().selectedText().replace("\u2029", "\r\n")


def window(view: SpanTextView) -> WindowMapping:
    m = view.mapping
    assert isinstance(m, WindowMapping)
    return m


def jump(qtbot, view: SpanTextView, offset: int) -> None:
    """Drag the page bar (the whole document's scroll bar) to stored ``offset``."""
    view.page_bar.setValue(offset)
    qtbot.wait(5)


@pytest.fixture
def view(qtbot) -> SpanTextView:
    widget = SpanTextView()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_large_document_is_shown_a_slice_at_a_time(view: SpanTextView) -> None:
    view.set_document(TEXT, [])
    m = window(view)
    assert view.windowed and view.page_bar.isVisible()
    assert m.base == 0 and SLICE_CHARS <= m.end < SLICE_CHARS + 200
    assert TEXT[m.end - 2 : m.end] == "\r\n"  # cut at a line's end
    assert view.document().characterCount() < SLICE_CHARS * 1.1  # (UTF-16 units)
    assert view.page_bar.maximum() == len(TEXT)
    assert view.title_block == 0
    view.set_document("Small\r\ntext", [])
    assert not view.windowed and not view.page_bar.isVisible()
    assert view.document().toPlainText() == "Small\ntext"


def test_slices_are_cut_at_lines_and_never_inside_crlf() -> None:
    for at in (0, 1_000_000, 1_000_001, len(TEXT) - 5, len(TEXT)):
        lo, hi = slice_bounds(TEXT, at, at)
        assert lo <= at <= hi
        assert lo == 0 or TEXT[lo - 1] == "\n"
        assert hi == len(TEXT) or TEXT[hi - 1] == "\n"
    text = "x" * 3_000_000  # one line: cut anywhere, but the slice still holds what was asked
    lo, hi = slice_bounds(text, 2_000_000, 2_000_010)
    assert lo <= 2_000_000 and hi >= 2_000_010 and hi - lo >= SLICE_CHARS


def test_selecting_far_into_the_document_stores_exact_offsets(qtbot, view: SpanTextView) -> None:
    view.set_document(TEXT, [])
    jump(qtbot, view, 1_500_000)
    m = window(view)
    assert m.base > 1_000_000
    # Selections starting at the slice's first position, ending at its last, and across lines.
    qt_len = m.qt_length
    for a, b in [(0, 45), (0, 1), (qt_len - 50, qt_len), (1000, 1400), (qt_len // 2 - 3, qt_len // 2 + 200)]:
        a, b = m.to_qt(m.to_cp_start(a)), m.to_qt(m.to_cp_start(b))  # not inside a surrogate pair
        cursor = QTextCursor(view.document())
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        start, end = view.selected_range() or (0, 0)
        assert m.base <= start < end <= m.end
        assert TEXT[start:end] == qt_selected(view), (a, b)


def test_a_mouse_selection_after_the_window_moved(qtbot, view: SpanTextView) -> None:
    view.set_document(TEXT, [])
    jump(qtbot, view, 900_000)
    block = view.firstVisibleBlock().next().next()
    cursor = QTextCursor(block)
    a = view.cursorRect(cursor).center()
    cursor.setPosition(block.next().position() + 20)
    b = view.cursorRect(cursor).center()
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)
    start, end = view.selected_range() or (0, 0)
    assert start >= 800_000 and end - start > 40
    assert TEXT[start:end] == qt_selected(view)
    assert TEXT[start - 2 : start] == "\r\n"  # from the start of a line


def test_set_selected_range_and_carets_anywhere(qtbot, view: SpanTextView) -> None:
    view.set_document(TEXT, [])
    for start, end in [
        (2_100_123, 2_100_190),
        (5, 70),
        (len(TEXT) - 30, len(TEXT)),
        (1_234_567, 1_234_567 + 40),
    ]:
        # Offsets inside a surrogate pair or a CRLF would not be selectable: snap to what Qt can show.
        view.set_selected_range(start, end)
        got = view.selected_range()
        assert got is not None and TEXT[got[0] : got[1]] == qt_selected(view)
        assert abs(got[0] - start) <= 1 and abs(got[1] - end) <= 1
        assert window(view).contains(*got)
    view.place_caret(1_700_000)
    assert view.caret_offset() == 1_700_000
    assert view.viewport().rect().contains(view.cursorRect()) or view.centerCursor() is None


def test_a_selection_the_slice_cannot_hold_is_refused(qtbot, view: SpanTextView) -> None:
    view.set_document(TEXT, [])
    with qtbot.waitSignal(view.windowRefused) as refused:
        view.set_selected_range(10, 10 + SLICE_CHARS + 5)
    assert "at a time" in refused.args[0]
    assert view.selected_range() is None
    # A selection the moved slice would cut is cleared, with the same message; nothing half-kept.
    view.set_selected_range(100, 5000)
    with qtbot.waitSignal(view.windowRefused):
        jump(qtbot, view, 2_000_000)
    assert view.selected_range() is None


def span_at(text: str, start: int, length: int, span_id: int, color: str = BLUE) -> ViewSpan:
    return ViewSpan(span_id, start, start + length, color, f"label {span_id}")


def test_spans_near_and_across_the_slice_ends_paint_and_take_clicks(qtbot, view: SpanTextView) -> None:
    first_end = slice_bounds(TEXT, 0, 0)[1]
    spans = [
        ViewSpan(1, first_end - 30, first_end + 30, BLUE, "across the first slice's end"),
        ViewSpan(2, first_end, first_end + 8, RED, "at the first slice's end"),
        ViewSpan(3, 1_300_000, 1_800_000, BLUE, "longer than a slice"),
        ViewSpan(4, 1_555_555, 1_555_600, RED, "inside the long one"),
    ]
    spans += [span_at(TEXT, at, 12, 100 + i) for i, at in enumerate(range(0, len(TEXT) - 20, 1000))]
    view.set_document(TEXT, spans)
    assert len(view.spans()) == len(spans)
    m = window(view)
    indexed = set(view._index.spans)
    assert 1 in indexed and 2 not in indexed and 3 not in indexed  # only what meets the slice
    assert len(indexed) < len(spans) // 5

    for span_id in (1, 2, 4):
        view.scroll_to_span(span_id)
        span = view.span(span_id)
        assert span is not None
        m = window(view)
        cursor = QTextCursor(view.document())
        cursor.setPosition(m.to_qt(span.start))
        cursor.setPosition(m.to_qt(span.end), QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText().replace("\u2029", "\r\n") == TEXT[span.start : span.end]
        rects = view.span_rects(span_id)
        assert rects, span_id
        x, y, w, h = rects[0]
        point = QPoint(int(x + w / 2), int(y + h / 2))
        with qtbot.waitSignal(view.spanClicked) as clicked:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert clicked.args == [span_id]
        assert view.selected_span_id == span_id

    # The long span crosses the slice's start once the slice lies inside it: painted, clickable.
    jump(qtbot, view, 1_550_000)
    m = window(view)
    assert m.base > 1_300_000 and m.end < 1_800_000
    assert view.span_rects(3)
    top = view.span_rects(3)[0]
    ids = view.span_ids_at(QPoint(int(top[0] + 5), int(top[1] + top[3] / 2)))
    assert 3 in ids


def test_spans_added_and_removed_far_from_the_slice(qtbot, view: SpanTextView) -> None:
    view.set_document(TEXT, [ViewSpan(1, 20, 30, BLUE, "near")])
    far = ViewSpan(2, 2_000_000, 2_000_040, RED, "far")
    view.add_span(far)
    assert view.span(2) == far and 2 not in view._index.spans
    view.select_span(2)
    view.scroll_to_span(2)
    assert 2 in view._index.spans and view.span_rects(2)
    view.update_span(far._replace(end=2_000_050, color=BLUE))
    assert view.span(2).end == 2_000_050  # type: ignore[union-attr]
    view.remove_span(2)
    assert view.span(2) is None and view.selected_span_id is None and not view.span_rects(2)
    view.scroll_to_span(1)
    assert view.span_rects(1)


def top_line(view: SpanTextView) -> tuple[int, float]:
    """Stored offset of the first block on screen and where it is drawn."""
    block = view.firstVisibleBlock()
    y = view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
    return view.mapping.to_cp_start(block.position()), y


def same_place(a: tuple[int, float], b: tuple[int, float]) -> bool:
    """The same line, drawn within a pixel (a fresh layout may round its first line's top apart)."""
    return a[0] == b[0] and abs(a[1] - b[1]) <= 1.0


def test_scrolling_moves_the_window_and_keeps_the_visible_line(qtbot, view: SpanTextView) -> None:
    view.set_document(TEXT, [])
    bar = view.verticalScrollBar()
    bases = [window(view).base]
    for _ in range(12):  # scroll down the way the wheel does, step by step, far past one slice
        bar.setValue(bar.value() + bar.maximum() // 8)
        before = top_line(view)
        qtbot.wait(1)  # the slice moves from the event loop
        assert same_place(top_line(view), before)
        assert view.page_bar.value() == before[0]
        bases.append(window(view).base)
    assert bases[-1] > bases[0] and len(set(bases)) >= 3
    furthest = top_line(view)[0]
    for _ in range(12):  # and back up
        bar.setValue(bar.value() - bar.maximum() // 8)
        before = top_line(view)
        qtbot.wait(1)
        assert same_place(top_line(view), before)
    assert top_line(view)[0] < furthest
    # Keyboard paging carries the caret along, through moves of the slice.
    view.setFocus()
    view.place_caret(1_000_000)
    view.centerCursor()
    caret, base = view.caret_offset(), window(view).base
    for _ in range(200):
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.caret_offset() > caret + 100_000 and window(view).base > base
    assert view.viewport().rect().contains(view.cursorRect())
    assert TEXT[: view.caret_offset()].count("\n") - TEXT[: top_line(view)[0]].count("\n") < 40
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.caret_offset() == len(TEXT)
    assert top_line(view)[0] > len(TEXT) - 5000  # the end is on screen
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert view.caret_offset() == 0 and window(view).base == 0 and top_line(view)[0] == 0


def test_spans_given_as_rows_become_view_spans_only_when_asked(qtbot, view: SpanTextView) -> None:
    rows = {i: (i, "label", at, at + 9) for i, at in enumerate(range(5, len(TEXT) - 20, 2_000), start=1)}
    made: list[int] = []

    def make(row: tuple[int, str, int, int]) -> ViewSpan:
        made.append(row[0])
        return ViewSpan(row[0], row[2], row[3], BLUE, row[1])

    view.set_document(TEXT, SpanRows(rows, make, (0, 2, 3)))
    assert 0 < len(made) < len(rows) // 5  # only the slice's
    made.clear()
    assert len(view.spans()) == len(rows) == len(made)  # spans() asks for all
    far = len(rows) - 3
    view.scroll_to_span(far)
    assert view.span_rects(far) and view.span(far) == ViewSpan(far, rows[far][2], rows[far][3], BLUE, "label")
    view.update_span(ViewSpan(far, rows[far][2], rows[far][3] + 5, RED, "relabelled"))
    assert view.span(far).label == "relabelled" and view.span_rects(far)  # type: ignore[union-attr]
    view.remove_span(far)
    assert view.span(far) is None and far not in view._index.spans
    view.set_document("small", SpanRows({1: (1, "x", 0, 5)}, make, (0, 2, 3)))
    assert view.span(1) == ViewSpan(1, 0, 5, BLUE, "x") and not view.windowed
