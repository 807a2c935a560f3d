"""The desk when a write fails: the message is shown, the selection stays, and pressing the label
key again once the database is free stores the span (nothing the annotator did is lost)."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from annotator.services.workspace import Workspace
from tests.ui.helpers import exported_spans, select_by_keyboard


@pytest.fixture
def workspace(impatient_workspace: Workspace) -> Workspace:
    return impatient_workspace


def test_a_locked_database_keeps_the_selection_for_a_retry(qtbot, make_window, workspace, tmp_path) -> None:
    window = make_window()
    holder = sqlite3.connect(workspace.db.location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        select_by_keyboard(qtbot, window.view, "Beijing and Moscow")
        qtbot.keyClick(window.view, Qt.Key.Key_2)
        assert "busy" in window.statusBar().currentMessage()
        assert window.view.textCursor().hasSelection()
        assert workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id) == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # the same key again, nothing re-selected
    [(text, span)] = exported_spans(workspace, tmp_path)
    assert text[span["start"] : span["end"]] == "Beijing and Moscow"
    assert span["label"] == "economic outcome"
    assert window.span_table.span_model.rowCount() == 1
