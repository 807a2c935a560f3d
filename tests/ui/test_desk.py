"""The core loop, driven through real widgets: select, press a hotkey, see it stored and exported."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from tests.ui.helpers import exported_spans, select_by_keyboard, select_by_mouse

UNICODE_TEXT = (
    "\ufeffHeadline with a BOM\r\n"
    "Emoji 😀 and family 👩\u200d👩\u200d👧 and flag 🇯🇵 here.\r\n"
    "Combining: cafe\u0301 and re\u0301sume\u0301 done.\r\n"
    "CJK: 北京和莫斯科 talks.\u2028Line two after U+2028.\u2029Paragraph after U+2029.\n"
    "Hebrew: שלום עולם and Arabic: مرحبا بالعالم end.\n"
    "Astral letters: 𝐀𝐁𝐂 bold.\n"
)
TARGETS = [
    "Headline",
    "😀",
    "👩\u200d👩\u200d👧",
    "🇯🇵",
    "cafe\u0301",
    "re\u0301sume\u0301",
    "北京和莫斯科",
    "Line two",
    "Paragraph",
    "שלום עולם",
    "مرحبا",
    "𝐀𝐁𝐂",
    "here.\r\nCombining",
]


def import_unicode_document(workspace, tmp_path) -> None:
    workspace.ensure_sample()  # the sample article first, as on a first run, then this one
    path = tmp_path / "unicode.jsonl"
    path.write_bytes(orjson.dumps({"id": "unicode", "title": "Unicode", "text": UNICODE_TEXT}) + b"\n")
    result = workspace.importer.import_paths([path])
    assert result.ok, result.files[0].error


def shown(target: str) -> str:
    """How Qt displays a stored substring: CRLF is one paragraph break."""
    return target.replace("\r\n", "\u2029")


def test_first_run_opens_sample_article_with_default_palette(make_window) -> None:
    window = make_window()
    assert window.desk.document is not None
    assert window.desk.document.uid == "sample-article"
    assert "Putin" in window.view.toPlainText()
    labels = [(x.name, x.hotkey) for x in window.desk.active_labels()]
    assert labels == [
        ("strategic messaging", "1"),
        ("economic outcome", "2"),
        ("leverage", "3"),
        ("framing", "4"),
    ]
    assert "leverage" in window.palette_widget.button_for(window.desk.active_labels()[2].id).text()


def test_keyboard_selection_and_hotkey_store_a_span(qtbot, make_window, workspace, tmp_path) -> None:
    window = make_window()
    select_by_keyboard(qtbot, window.view, "Beijing and Moscow")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    spans = workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id)
    assert len(spans) == 1
    assert workspace.labels.list()[2].id == spans[0].label_id
    [(text, span)] = exported_spans(workspace, tmp_path)
    assert text[span["start"] : span["end"]] == "Beijing and Moscow" == span["text"]
    assert span["label"] == "leverage" and span["annotator"] == "alice"
    assert window.span_table.span_model.rowCount() == 1


def test_mouse_selection_and_palette_click(qtbot, make_window, workspace, tmp_path) -> None:
    window = make_window()
    select_by_mouse(qtbot, window.view, "symbolic alignment")
    framing = window.desk.active_labels()[3]
    qtbot.mouseClick(window.palette_widget.button_for(framing.id), Qt.MouseButton.LeftButton)
    [(text, span)] = exported_spans(workspace, tmp_path)
    assert text[span["start"] : span["end"]] == "symbolic alignment"
    assert span["label"] == "framing"


def test_whitespace_is_trimmed_and_words_snapped(qtbot, make_window, workspace, tmp_path) -> None:
    window = make_window()
    select_by_keyboard(qtbot, window.view, " geopolitics is sha")  # leading space, cut word
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    [(_, span)] = exported_spans(workspace, tmp_path)
    assert span["text"] == "geopolitics is shaping"
    window.snap_action.trigger()  # snapping off: the cut stays where it is
    select_by_keyboard(qtbot, window.view, "concrete econ")
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    texts = sorted(s["text"] for _, s in exported_spans(workspace, tmp_path))
    assert texts == ["concrete econ", "geopolitics is shaping"]


@pytest.mark.parametrize("target", TARGETS)
def test_unicode_selection_exports_exact_offsets(qtbot, make_window, workspace, tmp_path, target) -> None:
    import_unicode_document(workspace, tmp_path)
    window = make_window()
    window.step_document(1)
    assert window.desk.document.uid == "unicode"
    window.snap_action.setChecked(False)
    select_by_keyboard(qtbot, window.view, shown(target))
    qtbot.keyClick(window.view, Qt.Key.Key_4)
    [(text, span)] = exported_spans(workspace, tmp_path)
    assert text == UNICODE_TEXT  # JSONL text is stored exactly as given
    assert text[span["start"] : span["end"]] == target == span["text"]


@pytest.mark.parametrize("target", ["北京和莫斯科", "👩\u200d👩\u200d👧", "re\u0301sume\u0301"])
def test_unicode_mouse_selection(qtbot, make_window, workspace, tmp_path, target) -> None:
    import_unicode_document(workspace, tmp_path)
    window = make_window()
    window.step_document(1)
    window.snap_action.setChecked(False)
    select_by_mouse(qtbot, window.view, shown(target))
    qtbot.keyClick(window.view, Qt.Key.Key_4)
    [(text, span)] = exported_spans(workspace, tmp_path)
    assert text[span["start"] : span["end"]] == target


def click_span(qtbot, window, span_id: int) -> None:
    x, y, w, h = window.view.span_rects(span_id)[0]
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(x + w / 2), int(y + h / 2))
    )


def test_click_delete_undo_redo(qtbot, make_window, workspace) -> None:
    window = make_window()
    doc, me = window.desk.document.id, window.desk.annotator.id
    select_by_keyboard(qtbot, window.view, "Beijing")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    [span] = workspace.annotations.spans_for(doc, me)
    window.view.select_span(None)
    click_span(qtbot, window, span.id)
    assert window.view.selected_span_id == span.id
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert workspace.annotations.spans_for(doc, me) == []
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.id for s in workspace.annotations.spans_for(doc, me)] == [span.id]
    qtbot.keyClick(
        window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert workspace.annotations.spans_for(doc, me) == []
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo delete
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo add
    assert workspace.annotations.spans_for(doc, me) == []
    assert window.view.spans() == []


def test_relabel_by_hotkey_and_note_with_undo(qtbot, make_window, workspace) -> None:
    window = make_window()
    doc, me = window.desk.document.id, window.desk.annotator.id
    select_by_keyboard(qtbot, window.view, "Moscow")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    [span] = workspace.annotations.spans_for(doc, me)
    click_span(qtbot, window, span.id)
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    [relabelled] = workspace.annotations.spans_for(doc, me)
    assert relabelled.label_id == window.desk.active_labels()[1].id
    window.desk.set_note(span.id, "capital city")
    assert workspace.annotations.spans_for(doc, me)[0].note == "capital city"
    assert window.span_table.span_model.index(0, 2).data() == "capital city"
    window.desk.undo_group.undo()
    assert workspace.annotations.spans_for(doc, me)[0].note is None
    window.desk.undo_group.undo()
    assert workspace.annotations.spans_for(doc, me)[0].label_id == window.desk.active_labels()[0].id


def test_overlapping_and_nested_spans_both_stored(qtbot, make_window, workspace) -> None:
    window = make_window()
    select_by_keyboard(qtbot, window.view, "between Beijing and Moscow")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    select_by_keyboard(qtbot, window.view, "Beijing")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    spans = workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id)
    assert len(spans) == 2
    assert len(window.view.spans()) == 2


def test_duplicate_span_is_refused_with_a_message(qtbot, make_window, workspace) -> None:
    window = make_window()
    for _ in range(2):
        select_by_keyboard(qtbot, window.view, "Moscow")
        qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert len(workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id)) == 1
    assert "already" in window.statusBar().currentMessage()


def test_spans_survive_closing_and_reopening(qtbot, make_window, workspace, database_factory) -> None:
    window = make_window()
    select_by_keyboard(qtbot, window.view, "Moscow")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    window.close()
    from annotator.services.workspace import Workspace

    again = Workspace.open(database_factory("desk.db"))
    try:
        me = again.annotators.find("alice")
        doc = again.documents.list_for(me.id)[0]
        assert doc.span_count == 1 and doc.status == "in_progress"
    finally:
        again.close()


def test_blind_annotation_shows_only_own_spans(qtbot, make_window, workspace) -> None:
    alice = make_window("alice")
    select_by_keyboard(qtbot, alice.view, "Moscow")
    qtbot.keyClick(alice.view, Qt.Key.Key_3)
    alice.close()
    bob = make_window("bob")
    assert bob.view.spans() == []
    assert bob.documents.model.summary(0).span_count == 0


def test_mark_done_and_navigate_documents(qtbot, make_window, workspace, tmp_path) -> None:
    import_unicode_document(workspace, tmp_path)
    window = make_window()
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert workspace.documents.status_of(window.desk.document.id, window.desk.annotator.id) == "done"
    assert window.documents.model.summary(0).status == "done"
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.desk.document.uid == "unicode"
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.desk.document.uid == "sample-article"
    window.documents.status.setCurrentIndex(3)  # filter: done
    assert window.documents.visible_ids() == [window.desk.document.id]


def test_next_span_key_and_span_list_jump(qtbot, make_window, workspace) -> None:
    window = make_window()
    for needle in ("Beijing", "Moscow"):
        select_by_keyboard(qtbot, window.view, needle)
        qtbot.keyClick(window.view, Qt.Key.Key_1)
    window.view.select_span(None)
    spans = sorted(window.desk.spans.values(), key=lambda s: s.start)
    cursor = window.view.textCursor()
    cursor.setPosition(0)
    window.view.setTextCursor(cursor)
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)
    assert window.view.selected_span_id == spans[0].id
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)
    assert window.view.selected_span_id == spans[1].id
    index = window.span_table.span_model.index(0, 1)
    qtbot.mouseClick(
        window.span_table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.span_table.visualRect(index).center(),
    )
    assert window.view.selected_span_id == spans[0].id


def test_find_bar(qtbot, make_window) -> None:
    window = make_window()
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "multipolar")
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.view.textCursor().selectedText() == "multipolar"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_hotkeys_do_not_fire_while_typing_in_the_filter(qtbot, make_window, workspace) -> None:
    window = make_window()
    select_by_keyboard(qtbot, window.view, "Moscow")
    window.documents.search.setFocus()
    qtbot.keyClicks(window.documents.search, "1")
    assert window.documents.search.text() == "1"
    assert workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id) == []


def test_many_void_qt_calls_do_not_crash(make_window) -> None:
    """PySide6 6.12.0 on Python 3.11 crashes after ~5,000 None-returning calls (DESIGN.md section 9)."""
    window = make_window()
    viewport = window.view.viewport()
    for _ in range(20_000):
        viewport.update()
    window.statusBar().showMessage("still alive")
    assert window.statusBar().currentMessage() == "still alive"
