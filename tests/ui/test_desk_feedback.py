"""What the desk says and shows while working: reopened documents, notes, undo messages, keys,
find counts, readable status texts and titles; driven with keys and the mouse on real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.ui.desk.note_dialog import NoteDialog
from tests.ui.helpers import select_by_keyboard

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def label_span(qtbot, window, needle: str, key=Qt.Key.Key_1):
    select_by_keyboard(qtbot, window.view, needle)
    qtbot.keyClick(window.view, key)
    return window.desk.spans[window.view.selected_span_id]


def status_cell(window) -> str:
    return window.documents.proxy.index(0, 2).data()


def test_editing_a_done_document_puts_it_back_in_progress_undoably(qtbot, make_window, workspace) -> None:
    window = make_window()
    doc, me = window.desk.document.id, window.desk.annotator.id
    label_span(qtbot, window, "Beijing")
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    assert workspace.documents.status_of(doc, me) == "done"
    assert status_cell(window) == "done"
    label_span(qtbot, window, "Moscow", Qt.Key.Key_3)
    assert workspace.documents.status_of(doc, me) == "in_progress"
    assert status_cell(window) == "in progress"
    assert "back in progress" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # one step: the span and the status
    assert workspace.documents.status_of(doc, me) == "done"
    assert status_cell(window) == "done"
    assert len(workspace.annotations.spans_for(doc, me)) == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert workspace.documents.status_of(doc, me) == "in_progress"
    assert len(workspace.annotations.spans_for(doc, me)) == 2


def note_dialog(qtbot, window) -> NoteDialog:
    qtbot.keyClick(window.view, Qt.Key.Key_F2)
    dialog = window.note_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_note_dialog_enter_saves_shift_enter_breaks_the_line(qtbot, make_window, workspace) -> None:
    window = make_window()
    span = label_span(qtbot, window, "Beijing")
    dialog = note_dialog(qtbot, window)
    assert dialog.edit.lineWrapMode() == dialog.edit.LineWrapMode.WidgetWidth
    qtbot.keyClicks(dialog.edit, "first line")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, SHIFT)
    qtbot.keyClicks(dialog.edit, "second")
    assert dialog.isVisible()
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    [stored] = workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id)
    assert stored.id == span.id and stored.note == "first line\nsecond"
    # Ctrl+Enter saves too.
    window.view.setFocus()
    dialog = note_dialog(qtbot, window)
    qtbot.keyClicks(dialog.edit, " more")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, CTRL)
    [stored] = workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id)
    assert stored.note == "first line\nsecond more"


def test_span_with_a_note_has_a_mark_in_the_text(qtbot, make_window) -> None:
    window = make_window()
    span = label_span(qtbot, window, "Beijing")
    assert window.view.note_marks() == []
    window.desk.set_note(span.id, "check the source")
    [mark] = window.view.note_marks()
    assert mark.span_id == span.id
    window.view.select_span(None)
    qtbot.wait(10)
    image = window.view.viewport().grab().toImage()
    corner = image.pixelColor(int(mark.rect.right()) - 2, int(mark.rect.top()) + 3)
    fill = image.pixelColor(int(mark.rect.center().x()), int(mark.rect.top()) + 3)
    assert corner.lightness() < fill.lightness() - 40  # the dark folded corner stands out


def test_undo_and_redo_say_what_they_did(qtbot, make_window) -> None:
    window = make_window()
    label_span(qtbot, window, "Beijing")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.statusBar().currentMessage() == "Undone: add 'strategic messaging' span"
    qtbot.keyClick(window.view, Qt.Key.Key_Y, CTRL)
    assert window.statusBar().currentMessage() == "Redone: add 'strategic messaging' span"


def test_a_former_label_key_says_it_is_no_longer_one(qtbot, make_window, workspace) -> None:
    window = make_window()
    leverage = next(x for x in window.desk.active_labels() if x.hotkey == "3")
    workspace.labels.update(leverage.id, hotkey="7")
    window.reload_labels()
    select_by_keyboard(qtbot, window.view, "Beijing")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    message = window.statusBar().currentMessage()
    assert "No label has the key “3”" in message and "leverage" in message and "7 leverage" in message
    assert window.desk.spans == {}
    qtbot.keyClick(window.view, Qt.Key.Key_7)
    assert len(window.desk.spans) == 1


def test_find_counts_matches_and_keeps_the_match_in_view(qtbot, make_window) -> None:
    window = make_window()
    text = window.desk.document.text
    total = text.lower().count("china")
    assert total > 3
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.find_bar.edit, "china")
    assert window.find_bar.status.text() == f"1 of {total}"
    for n in range(2, total + 1):
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
        assert window.find_bar.status.text() == f"{n} of {total}"
        start, end = window.view.selected_range()
        assert text[start:end].lower() == "china"
        rect = window.view.cursorRect()
        assert rect.top() >= 0 and rect.bottom() <= window.view.viewport().height()
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.find_bar.status.text() == f"1 of {total} · wrapped"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return, SHIFT)
    assert window.find_bar.status.text() == f"{total} of {total} · wrapped"


def test_status_bar_names_invisible_characters_and_counts_in_words(
    qtbot, make_window, workspace, tmp_path
) -> None:
    import orjson

    path = tmp_path / "zw.jsonl"
    text = "Title\nA family 👩\u200d👩\u200d👧 and a zero\u200bwidth space.\n"
    path.write_bytes(orjson.dumps({"id": "zw", "title": "Zero width", "text": text}) + b"\n")
    workspace.ensure_sample()
    assert workspace.importer.import_paths([path]).ok
    window = make_window()
    window.open_document(
        next(
            window.documents.model.id_at(r)
            for r in range(window.documents.model.rowCount())
            if window.documents.model.summary(r).uid == "zw"
        )
    )
    window.desk.snap_words = False
    window.view.set_selected_range(text.index("family"), text.index(" space"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    message = window.statusBar().currentMessage()
    assert "👩\u200d👩\u200d👧" in message and "⟨ZERO WIDTH SPACE⟩" in message
    assert "\\u" not in message
    assert "· 1 span ·" in window.status_label.text()


def test_window_title_is_cut_at_a_word(make_window) -> None:
    window = make_window()
    title = window.windowTitle()
    assert title.endswith("— Annotator")
    assert ",…" not in title and ", —" not in title
    assert len(title) < 100


def test_help_shows_the_workflow_and_the_keys(qtbot, make_window) -> None:
    window = make_window()
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    dialog = window.help_dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.browser.toPlainText()
    for words in ("Annotate", "Mark the document done", "Review", "Ctrl+D", "Label: leverage"):
        assert words in text
    dialog.close()
    QApplication.processEvents()
