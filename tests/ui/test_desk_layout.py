"""A small window: the article keeps a readable width, side panels give way, sizes are remembered."""

from __future__ import annotations

from annotator.app import open_window
from annotator.services.settings import Settings
from tests.ui.helpers import select_by_keyboard


def test_small_window_keeps_the_text_readable(qtbot, make_window) -> None:
    window = make_window()
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() <= 810)
    qtbot.wait(20)
    sizes = window.main.sizes()
    assert sizes[1] >= 400, f"article crushed: {sizes}"
    assert window.view.viewport().width() >= 30 * window.view.fontMetrics().averageCharWidth()
    assert sizes[0] == 0 or sizes[0] >= 150  # the document list folds instead of being crushed
    assert sizes[2] > 0  # the labels stay: they are used all the time


def test_span_text_column_does_not_stay_collapsed(qtbot, make_window) -> None:
    window = make_window()
    select_by_keyboard(qtbot, window.view, "Beijing")
    from PySide6.QtCore import Qt

    qtbot.keyClick(window.view, Qt.Key.Key_1)
    window.resize(700, 500)
    qtbot.wait(20)
    header = window.span_table.horizontalHeader()
    assert header.sectionSize(1) >= 60
    window.resize(800, 600)
    qtbot.wait(20)
    assert header.sectionSize(1) >= 110
    assert header.sectionSize(1) > header.sectionSize(0)


def test_window_and_panel_sizes_are_remembered(qtbot, make_window, workspace, tmp_path) -> None:
    from PySide6.QtCore import Qt

    window = make_window()
    window.resize(780, 580)  # the offscreen screen is 800x600
    qtbot.wait(20)
    window.main.set_sizes([150, 400, 230])  # as a drag of the handle leaves them
    qtbot.keyClick(window.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)  # guidelines open
    assert window.right.sizes()[2] > 0
    preferred, right = list(window.main.preferred), window.right.sizes()
    window.close()
    settings = Settings(tmp_path / "settings-alice.json")
    again = open_window(workspace, workspace.annotators.find("alice"), settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    qtbot.wait(20)
    assert again.main.preferred == preferred
    assert again.right.sizes()[2] > 0
    assert abs(again.right.sizes()[2] - right[2]) <= 3
    assert abs(again.width() - 780) <= 2


def test_document_list_folds_and_comes_back_by_key(qtbot, make_window) -> None:
    from PySide6.QtCore import Qt

    window = make_window()
    assert window.main.sizes()[0] > 0
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.view, Qt.Key.Key_L, mods)
    assert window.main.sizes()[0] == 0
    qtbot.keyClick(window.view, Qt.Key.Key_L, mods)
    assert window.main.sizes()[0] > 100
