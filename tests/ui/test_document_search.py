"""The document list searched and paged in a real window: typing in the filter, the hits column,
opening a hit (it lands on the first match, in code points), Ctrl+Shift+F, a list of many pages."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from annotator.ui.document_page_model import PAGE_ROWS, DocumentPageModel

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
TEXTS = {
    "cjk": "東京のニュース\n\n東京のニュースは zeppelin を報じた。Zeppelin again.",
    "emoji": "Family news\n\nA family 👩‍👩‍👧 of 😀 saw the zeppelin land.",
    "rtl": "חדשות\n\nשלום עולם, zeppelin מעל תל אביב.",
    "plain": "Nothing here\n\nNo airships at all.",
}


@pytest.fixture
def searchable(workspace, tmp_path):
    workspace.ensure_sample()
    path = tmp_path / "docs.jsonl"
    path.write_bytes(
        b"".join(orjson.dumps({"id": uid, "title": uid, "text": text}) + b"\n" for uid, text in TEXTS.items())
    )
    assert workspace.importer.import_paths([path]).ok
    return workspace


def rows(window) -> list[str]:
    model = window.documents.model
    return [model.summary(r).uid for r in range(model.rowCount())]


def type_search(qtbot, window, needle: str) -> None:
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL_SHIFT)
    assert window.documents.search.hasFocus()
    if needle.isascii():
        qtbot.keyClicks(window.documents.search, needle)
    else:  # QTest cannot type these (it aborts); an input method hands the line edit text too
        window.documents.search.insert(needle)
    qtbot.waitUntil(lambda: window.documents.model.query.needle == needle)


def test_typing_filters_by_text_and_counts_hits(qtbot, make_window, searchable) -> None:
    window = make_window()
    assert len(rows(window)) == 5
    type_search(qtbot, window, "zePPelin")
    assert rows(window) == ["cjk", "emoji", "rtl"]
    table = window.documents.table
    assert not table.isColumnHidden(DocumentPageModel.HITS)
    hits = [table.model().index(r, DocumentPageModel.HITS).data() for r in range(3)]
    assert hits == ["2", "1", "1"]
    window.documents.search.clear()
    qtbot.waitUntil(lambda: len(rows(window)) == 5)
    assert table.isColumnHidden(DocumentPageModel.HITS)


@pytest.mark.parametrize(
    ("uid", "needle", "expected"),
    [
        ("cjk", "zeppelin", "zeppelin"),
        ("emoji", "zeppelin", "zeppelin"),
        ("rtl", "עולם", "עולם"),
        ("cjk", "ニュースは", "ニュースは"),
    ],
)
def test_opening_a_hit_lands_on_its_first_match(
    qtbot, make_window, searchable, uid, needle, expected
) -> None:
    window = make_window()
    type_search(qtbot, window, needle)
    row = rows(window).index(uid)
    table = window.documents.table
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.desk.document.uid == uid
    text = window.desk.document.text
    start, end = window.view.selected_range()
    assert text[start:end] == expected
    assert start == text.index(expected)  # the first match, in stored code points
    assert window.view.viewport().rect().contains(window.view.cursorRect())
    assert window.find_bar.isVisible() and window.find_bar.status.text().startswith("1 of")
    # Enter in the filter opens the first document found.
    window.documents.search.setFocus()
    qtbot.keyClick(window.documents.search, Qt.Key.Key_Return)
    assert window.desk.document.uid == rows(window)[0]


@pytest.mark.parametrize(
    ("needle", "found", "hits"),
    [
        ("東京", ["cjk"], ["2"]),
        ("😀", ["emoji"], ["1"]),
        ("של", ["rtl"], ["1"]),
        # cased: any case ("zeppelin", "Zeppelin"); the sample article has it too (its count unchecked)
        ("ZE", ["sample-article", "cjk", "emoji", "rtl"], [None, "2", "1", "1"]),
    ],
)
def test_one_or_two_characters_find_text_and_open_on_the_match(
    qtbot, make_window, searchable, needle, found, hits
) -> None:
    window = make_window()
    type_search(qtbot, window, needle)
    assert rows(window) == found
    table = window.documents.table
    assert not table.isColumnHidden(DocumentPageModel.HITS)
    shown = [table.model().index(r, DocumentPageModel.HITS).data() for r in range(len(found))]
    assert [x for x, want in zip(shown, hits, strict=True) if want is not None] == [x for x in hits if x]
    row = len(found) - 1
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.desk.document.uid == found[row]
    text = window.desk.document.text
    first = text.lower().index(needle.lower())
    assert window.view.selected_range() == (first, first + len(needle))


def test_a_long_list_is_read_a_page_at_a_time(qtbot, make_window, workspace, tmp_path) -> None:
    path = tmp_path / "many.jsonl"
    count = PAGE_ROWS * 2 + 50
    path.write_bytes(
        b"".join(
            orjson.dumps({"id": f"d{i:04d}", "title": f"Document {i:04d}", "text": f"Title {i}\n\nBody {i}."})
            + b"\n"
            for i in range(count)
        )
    )
    assert workspace.importer.import_paths([path]).ok
    window = make_window()
    model = window.documents.model
    assert model.rowCount() == count
    assert len(model._cache) <= 2  # only what is on screen was read
    assert "0 of 450 documents done" in window.progress_heading.text()
    last = model.pages.page(model.query, count - 1, 1).rows[0]
    window.open_document(last.id)  # far down the list: found and scrolled to
    assert window.documents.table.currentIndex().row() == count - 1
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.desk.document.uid == "d0448"
    header = window.documents.table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # title, Z to A, sorted by the database
    assert model.summary(0).uid == "d0449"
    assert window.documents.table.isRowHidden(0) is False


def test_a_search_most_documents_match_grows_as_it_is_scrolled(
    qtbot, make_window, workspace, tmp_path, monkeypatch
) -> None:
    from annotator.ui import document_page_model

    monkeypatch.setattr(document_page_model, "COUNT_CAP", 100)
    path = tmp_path / "many.jsonl"
    path.write_bytes(
        b"".join(
            orjson.dumps(
                {"id": f"d{i:04d}", "title": f"Document {i:04d}", "text": f"Title {i}\n\nAirship {i}."}
            )
            + b"\n"
            for i in range(350)
        )
    )
    assert workspace.importer.import_paths([path]).ok
    window = make_window()
    type_search(qtbot, window, "airship")
    model, table = window.documents.model, window.documents.table
    assert model.rowCount() == 100 and model.canFetchMore()
    for _ in range(5):
        table.scrollToBottom()
        qtbot.wait(20)  # the view asks for more when it reaches the end
    assert model.rowCount() == 350 and not model.canFetchMore()
    assert model.summary(349).uid == "d0349"
