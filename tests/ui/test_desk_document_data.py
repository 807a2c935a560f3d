"""Document labels (the bar above the text, Ctrl+Alt+1..9) and document comments (Ctrl+K) in a
real desk window, driven by keys and clicks; the spans' offsets are untouched."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.services.exporting import ExportFilter
from annotator.ui.desk.comment_dialog import CommentDialog
from tests.ui.helpers import exported_spans, select_by_keyboard

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


@pytest.fixture
def document_labels(workspace):
    workspace.ensure_sample()
    made = {}
    for name, label_set, multiple in (
        ("conflict", "frame", False),
        ("cooperation", "frame", False),
        ("economy", "topic", True),
        ("security", "topic", True),
    ):
        made[name] = workspace.labels.create(name, kind="document", label_set=label_set, multiple=multiple).id
    return made


def stored(workspace, window) -> set[str]:
    names = {x.id: x.name for x in workspace.labels.list()}
    ids = workspace.document_data.labels_of(window.desk.document.id, window.desk.annotator.id)
    return {names[i] for i in ids}


def test_keys_and_buttons_set_document_labels_single_and_multiple(
    qtbot, make_window, workspace, document_labels, tmp_path
) -> None:
    window = make_window()
    bar = window.document_label_bar
    assert bar.isVisible() and list(bar.buttons) == list(document_labels.values())
    # Span labels keep their palette and keys; document labels are not among them.
    assert [x.name for x in window.desk.active_labels()] == [
        "strategic messaging",
        "economic outcome",
        "leverage",
        "framing",
    ]
    qtbot.keyClick(window.view, Qt.Key.Key_1, CTRL_ALT)  # conflict
    assert stored(workspace, window) == {"conflict"}
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL_ALT)  # cooperation replaces it (single choice)
    assert stored(workspace, window) == {"cooperation"}
    qtbot.mouseClick(bar.buttons[document_labels["economy"]], Qt.MouseButton.LeftButton)
    qtbot.keyClick(window.view, Qt.Key.Key_4, CTRL_ALT)  # security joins economy (multiple)
    assert stored(workspace, window) == {"cooperation", "economy", "security"}
    assert bar.checked() == {document_labels[n] for n in ("cooperation", "economy", "security")}
    assert window.desk.status == "in_progress"
    assert "Document label “security” set" in window.statusBar().currentMessage()
    # Undo takes back one change at a time, in the database and on the buttons.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(workspace, window) == {"cooperation", "economy"}
    assert not bar.buttons[document_labels["security"]].isChecked()
    qtbot.keyClick(
        window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert stored(workspace, window) == {"cooperation", "economy", "security"}
    # Spans are untouched and still exact.
    select_by_keyboard(qtbot, window.view, "Beijing and Moscow")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    [(text, span)] = exported_spans(workspace, tmp_path)
    assert text[span["start"] : span["end"]] == "Beijing and Moscow"


def test_changing_a_finished_documents_labels_puts_it_back_in_progress(
    qtbot, make_window, workspace, document_labels
) -> None:
    window = make_window()
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.desk.status == "done"
    qtbot.keyClick(window.view, Qt.Key.Key_1, CTRL_ALT)
    doc, me = window.desk.document.id, window.desk.annotator.id
    assert workspace.documents.status_of(doc, me) == "in_progress"
    assert "back in progress" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo: both
    assert workspace.documents.status_of(doc, me) == "done"
    assert stored(workspace, window) == set()


def test_ctrl_k_writes_a_comment_that_wraps_and_saves_with_ctrl_enter(
    qtbot, make_window, workspace, tmp_path
) -> None:
    window = make_window()
    doc = window.desk.document.id
    qtbot.keyClick(window.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.comment_dialog
    assert isinstance(dialog, CommentDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.edit, "Is the headline part of the text?")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)  # Enter: a new line, not saved yet
    qtbot.keyClicks(dialog.edit, "Second line.")
    assert dialog.isVisible()
    assert dialog.edit.lineWrapMode() == dialog.edit.LineWrapMode.WidgetWidth
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    me = window.desk.annotator.id
    assert workspace.document_data.comment(doc, me) == "Is the headline part of the text?\nSecond line."
    row = window.documents.proxy.index(0, 0)
    assert row.data().startswith("✎ ")  # marked in the document list
    out = tmp_path / "out.jsonl"
    workspace.exporter.export("jsonl", ExportFilter(), path=out)
    [line] = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert line["comments"] == [
        {"annotator": "alice", "text": "Is the headline part of the text?\nSecond line."}
    ]
    # Escape cancels: nothing changes.
    qtbot.keyClick(window.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.comment_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.edit.clear()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert workspace.document_data.comment(doc, me) is not None
    QApplication.processEvents()


def test_no_document_labels_no_bar(make_window) -> None:
    window = make_window()
    assert not window.document_label_bar.isVisible()


def test_many_document_labels_do_not_widen_a_small_window(qtbot, make_window, workspace) -> None:
    workspace.ensure_sample()
    for n in range(12):
        workspace.labels.create(
            f"a rather long document label {n}", kind="document", label_set=f"set {n % 3}"
        )
    window = make_window()
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() <= 810)
    qtbot.wait(20)
    bar = window.document_label_bar
    assert bar.isVisible() and bar.width() < 800
    assert bar.scroll.horizontalScrollBar().maximum() > 0  # the buttons scroll instead
    assert window.main.sizes()[1] >= 400
