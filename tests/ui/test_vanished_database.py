"""The desk when its database file is deleted under it: the key press that would add a span says the
file is gone and that the change was not saved, instead of showing the span as saved."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.services.workspace import Workspace
from tests.ui.helpers import select_by_keyboard


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(str(tmp_path / "data" / "desk.db"))
    yield ws
    ws.close()


def test_a_span_added_after_the_data_folder_was_deleted_is_not_shown_as_saved(
    qtbot, make_window, workspace: Workspace, tmp_path: Path
) -> None:
    window = make_window()
    select_by_keyboard(qtbot, window.view, "Beijing and Moscow")
    shutil.rmtree(tmp_path / "data")
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    message = window.statusBar().currentMessage()
    assert "was deleted or moved while it was open" in message and "not saved" in message
    assert window.span_table.span_model.rowCount() == 0
    assert window.view.textCursor().hasSelection()  # kept for a retry once the file is back
