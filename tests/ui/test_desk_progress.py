"""Progress, navigation to unfinished work, sorting and filtering by status, guidelines, themes."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent, QPalette
from PySide6.QtWidgets import QApplication

from annotator.ui.desk.theme import is_dark
from tests.ui.helpers import select_by_keyboard

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def three_documents(workspace, tmp_path):
    workspace.ensure_sample()
    path = tmp_path / "more.jsonl"
    lines = [
        orjson.dumps({"id": f"d{i}", "title": f"Document {i}", "text": f"Title {i}\nBody text {i}."})
        for i in (1, 2)
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert workspace.importer.import_paths([path]).ok
    return workspace


def test_progress_in_list_and_status_bar(qtbot, make_window, three_documents) -> None:
    window = make_window()
    assert "0 of 3 documents done" in window.progress_heading.text()
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    assert "1 of 3 documents done" in window.progress_heading.text()
    assert "1 of 3 documents done" in window.status_label.text()


def test_next_unfinished_document_key(qtbot, make_window, three_documents) -> None:
    window = make_window()
    ids = window.documents.visible_ids()
    assert window.desk.document.id == ids[0]
    three_documents.documents.set_status(ids[1], window.desk.annotator.id, "done")
    window.reload_documents()
    qtbot.keyClick(window.view, Qt.Key.Key_U, CTRL)
    assert window.desk.document.id == ids[2]  # the done one is skipped
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_U, CTRL)
    assert window.desk.document.id == ids[0]  # wraps around
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_U, CTRL)
    assert "Every document is done" in window.statusBar().currentMessage()


def test_list_sorts_and_filters_by_status(qtbot, make_window, three_documents) -> None:
    window = make_window()
    ids = window.documents.visible_ids()
    three_documents.documents.set_status(ids[0], window.desk.annotator.id, "done")
    three_documents.documents.set_status(ids[2], window.desk.annotator.id, "in_progress")
    window.reload_documents()
    header = window.documents.table.horizontalHeader()
    status_heading = QPoint(header.sectionViewportPosition(2) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=status_heading)
    statuses = [window.documents.proxy.index(r, 2).data() for r in range(3)]
    assert statuses == ["to do", "in progress", "done"]
    assert window.documents.visible_ids()[0] == ids[1]  # Go > Next document follows the sorted order
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=status_heading)
    assert [window.documents.proxy.index(r, 2).data() for r in range(3)] == ["done", "in progress", "to do"]
    window.documents.status.setCurrentIndex(window.documents.status.findText("Not done"))
    assert sorted(window.documents.visible_ids()) == sorted([ids[1], ids[2]])


def test_guidelines_panel_by_key_with_hovered_label_first(qtbot, make_window, workspace) -> None:
    window = make_window()
    leverage = next(x for x in window.desk.active_labels() if x.name == "leverage")
    workspace.labels.update(leverage.id, description="**Leverage**: one side can *make* the other act.")
    window.reload_labels()
    assert window.right.sizes()[2] == 0
    qtbot.keyClick(window.view, Qt.Key.Key_G, CTRL)
    assert window.right.sizes()[2] > 0
    text = window.guidelines.toPlainText()
    assert "Leverage: one side can make the other act." in text  # Markdown rendered, not raw
    assert text.index("strategic messaging") < text.index("leverage")
    button = window.palette_widget.button_for(leverage.id)
    center = QPointF(button.rect().center())
    QApplication.sendEvent(button, QEnterEvent(center, center, QPointF(button.mapToGlobal(center.toPoint()))))
    text = window.guidelines.toPlainText()
    assert text.startswith("leverage")
    # The selected span's label comes first too.
    select_by_keyboard(qtbot, window.view, "Beijing")
    qtbot.keyClick(window.view, Qt.Key.Key_4)
    assert window.view.selected_span_id is not None
    assert window.guidelines.toPlainText().startswith("framing")
    qtbot.keyClick(window.view, Qt.Key.Key_G, CTRL)
    assert window.right.sizes()[2] == 0


def test_theme_menu_switches_and_is_remembered(qtbot, make_window, tmp_path) -> None:
    window = make_window()
    app = QApplication.instance()
    light_hint = window.palette_widget._hint
    try:
        window.theme_actions["dark"].trigger()
        qtbot.wait(10)  # palette change events reach the widgets
        assert is_dark(app.palette())
        assert window.settings.get("theme") == "dark"
        base = window.view.palette().color(QPalette.ColorRole.Base)
        assert base.lightness() < 80
        hint = light_hint.palette().color(light_hint.foregroundRole())
        assert abs(hint.lightness() - light_hint.palette().color(QPalette.ColorRole.Window).lightness()) > 70
        margin = window.view.grab().toImage().pixelColor(3, 3)
        assert margin.lightness() < 80  # the page margins follow the theme too
        window.theme_actions["light"].trigger()
        assert not is_dark(app.palette())
        assert window.settings.get("theme") == "light"
    finally:
        window.theme.set_choice("light")


def test_system_theme_follows_the_system_colour_scheme(qtbot, make_window) -> None:
    window = make_window()
    hints = QApplication.styleHints()
    try:
        window.theme_actions["system"].trigger()
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the platform sends on a switch
        assert is_dark(QApplication.palette())
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert not is_dark(QApplication.palette())
        window.theme_actions["light"].trigger()
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert not is_dark(QApplication.palette())  # a fixed choice ignores the system
    finally:
        window.theme.system_dark = False
        window.theme.set_choice("light")
