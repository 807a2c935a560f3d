"""The document list's columns in a real window: Title takes the width the narrow columns leave,
a narrow list hides Length, then Spans, before the Title is crushed, and widths the person drags
are remembered."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView

from annotator.app import open_window
from annotator.services.settings import Settings
from annotator.ui.document_list import TITLE_MIN, TITLE_ROOM
from annotator.ui.document_page_model import DocumentPageModel

LENGTH, STATUS, SPANS, HITS = 1, 2, 3, DocumentPageModel.HITS


def list_width(qtbot, window, width: int) -> None:
    sizes = window.main.sizes()
    total = sum(sizes)
    window.main.set_sizes([width, total - width - sizes[2], sizes[2]])
    qtbot.waitUntil(lambda: abs(window.documents.width() - (width - 8)) <= 12)


def test_title_takes_the_room_the_narrow_columns_leave(qtbot, make_window) -> None:
    window = make_window()
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.width() == 1400)
    documents = window.documents
    header = documents.table.horizontalHeader()
    average = documents.table.fontMetrics().averageCharWidth()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    # The panel opens as wide as the list asks: Title has room for TITLE_ROOM characters.
    assert window.main.sizes()[0] >= documents.sizeHint().width()
    assert header.sectionSize(0) >= TITLE_ROOM * average
    narrow = {c: header.sectionSize(c) for c in (LENGTH, STATUS, SPANS)}
    assert narrow == {c: documents.fitted[c] for c in narrow}
    list_width(qtbot, window, 600)
    assert {c: header.sectionSize(c) for c in narrow} == narrow  # only the Title grew
    assert header.sectionSize(0) >= 600 - 8 - sum(narrow.values()) - 40
    # Searching shows the Hits column; the Title still keeps its room.
    list_width(qtbot, window, documents.sizeHint().width() + 8)
    documents.search.setText("the")
    documents.apply_filter()
    assert not documents.table.isColumnHidden(HITS)
    assert header.sectionSize(0) >= TITLE_ROOM * average


def test_a_narrow_list_hides_length_then_spans_and_shows_them_again(qtbot, make_window) -> None:
    window = make_window()
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.width() == 1400)
    documents = window.documents
    table, header = documents.table, documents.table.horizontalHeader()
    title_min = TITLE_MIN * table.fontMetrics().averageCharWidth()
    list_width(qtbot, window, 330)
    assert table.isColumnHidden(LENGTH) and not table.isColumnHidden(STATUS)
    assert header.sectionSize(0) >= title_min
    list_width(qtbot, window, 250)
    assert table.isColumnHidden(LENGTH) and table.isColumnHidden(SPANS)
    assert not table.isColumnHidden(STATUS) and header.sectionSize(0) >= title_min
    assert not table.horizontalScrollBar().isVisible()  # nothing cut off at the right
    list_width(qtbot, window, 500)
    assert not any(table.isColumnHidden(c) for c in (LENGTH, STATUS, SPANS))
    assert table.isColumnHidden(HITS)  # (not searching)


def test_dragged_column_widths_are_remembered(qtbot, make_window, workspace, tmp_path) -> None:
    window = make_window()
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.width() == 1400)
    header = window.documents.table.horizontalHeader()
    before = header.sectionSize(STATUS)
    # Drag the right edge of the Status heading 40 px to the right, with the mouse.
    edge = header.sectionViewportPosition(STATUS) + header.sectionSize(STATUS) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    for dx in range(5, 45, 5):
        qtbot.mouseMove(header.viewport(), QPoint(edge + dx, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + 40, y))
    dragged = header.sectionSize(STATUS)
    assert dragged >= before + 30
    assert header.sectionSize(LENGTH) == window.documents.fitted[LENGTH]  # the others keep theirs
    window.close()
    settings = Settings(tmp_path / "settings-alice.json")
    again = open_window(workspace, workspace.annotators.find("alice"), settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.resize(1400, 900)
    qtbot.waitUntil(lambda: again.width() == 1400)
    list_width(qtbot, again, 500)
    again_header = again.documents.table.horizontalHeader()
    assert again_header.sectionSize(STATUS) == dragged
    assert again_header.sectionSize(SPANS) == again.documents.fitted[SPANS]
    assert again_header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    # Rubbish in the settings is ignored.
    again.documents.set_column_widths({"Status": "wide", "Length": -5, "Nope": 80})
    assert again_header.sectionSize(LENGTH) == again.documents.fitted[LENGTH]
