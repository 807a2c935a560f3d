"""The desk on a document above the window threshold (issue 16), in the real window on a real SQLite
file: spans made far into the document store exact offsets, the span table and Ctrl+F go anywhere,
and the document before it (small) is shown as it always was."""

from __future__ import annotations

import orjson
from PySide6.QtCore import Qt

from annotator.domain.text_window import WindowMapping
from tests.ui.helpers import select_by_keyboard
from tests.ui.test_large_document_view import TEXT

FAR = TEXT.index("0033000 ")  # about 1.9 million code points in


def open_big(make_window, workspace, tmp_path):
    window = make_window()
    spans = [
        {"start": at, "end": at + 7, "label": "framing", "annotator": "alice"}
        for at in range(TEXT.index("0000100 "), len(TEXT) - 100, 50_000)
    ]
    path = tmp_path / "big.jsonl"
    path.write_bytes(orjson.dumps({"id": "big", "title": "Big", "text": TEXT, "spans": spans}) + b"\n")
    result = workspace.importer.import_paths([path])
    assert result.ok, result.files[0].error
    [big] = [d for d in workspace.documents.list_for(window.desk.annotator.id) if d.uid == "big"]
    window.open_document(big.id)
    assert window.view.windowed and len(window.desk.spans) == len(spans)
    return window


def stored(workspace, window) -> list:
    return sorted(
        workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id),
        key=lambda s: s.start,
    )


def test_spans_made_far_into_a_large_document_store_exact_offsets(
    qtbot, make_window, workspace, tmp_path
) -> None:
    window = open_big(make_window, workspace, tmp_path)
    view = window.view
    view.page_bar.setValue(FAR)
    qtbot.wait(5)
    assert isinstance(view.mapping, WindowMapping) and view.mapping.base > 1_500_000
    before = {s.id for s in stored(workspace, window)}
    needles = [
        "0033001 Cafe\u0301 👩\u200d👩\u200d👧 東京の",  # shown as Qt shows it (no CRLF inside)
        "0033002 Café 👩‍👩‍👧 東京の 𝐀𝐁 שלום עולם",
        "here\u20290033003 Cafe\u0301",  # across a CRLF: Qt shows one paragraph break
    ]
    for needle in needles:
        select_by_keyboard(qtbot, view, needle)
        qtbot.keyClick(view, Qt.Key.Key_4)
    made = [s for s in stored(workspace, window) if s.id not in before]
    assert [TEXT[s.start : s.end] for s in sorted(made, key=lambda s: s.start)] == [
        "0033001 Cafe\u0301 👩\u200d👩\u200d👧 東京の",
        "0033002 Café 👩‍👩‍👧 東京の 𝐀𝐁 שלום עולם",
        "here\r\n0033003 Cafe\u0301",
    ]
    assert all(s.start > 1_800_000 for s in made)
    assert all(view.span_rects(s.id) for s in made)  # drawn where they were made


def test_the_span_table_and_find_go_anywhere(qtbot, make_window, workspace, tmp_path) -> None:
    window = open_big(make_window, workspace, tmp_path)
    view = window.view
    model = window.span_table.span_model
    last = model.rowCount() - 1
    far_span = model.span_at(last)
    index = model.index(last, 1)
    window.span_table.scrollTo(index)
    qtbot.mouseClick(
        window.span_table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.span_table.visualRect(index).center(),
    )
    assert view.selected_span_id == far_span.id
    assert isinstance(view.mapping, WindowMapping) and view.mapping.contains(far_span.start, far_span.end)
    assert view.span_rects(far_span.id)

    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.find_bar.edit, "0000777 cafe")  # (QTest types ASCII only)
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    start, end = view.selected_range() or (0, 0)
    assert TEXT[start:end] == "0000777 Cafe"
    assert window.find_bar.status.text().startswith("1 of 1")
    assert view.mapping.base == 0


def test_a_too_long_selection_is_refused_in_the_status_bar(qtbot, make_window, workspace, tmp_path) -> None:
    window = open_big(make_window, workspace, tmp_path)
    view = window.view
    count = len(stored(workspace, window))
    view.set_selected_range(100, 400)
    view.page_bar.setValue(FAR)  # the selection cannot follow that far
    qtbot.wait(5)
    assert "at a time" in window.statusBar().currentMessage()
    assert view.selected_range() is None
    qtbot.keyClick(view, Qt.Key.Key_4)
    assert len(stored(workspace, window)) == count  # nothing stored from a selection that is gone
