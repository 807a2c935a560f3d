"""Issue 13, assignment by hand in the window: a supervisor selects documents in the list
(Shift+click, Ctrl+click), File > Assign selected documents… shows who has how many of them,
ticks and clears people, and Apply stores the change; work done stays; the list and the Team
view follow. Annotators never see the entry. Real widgets on real databases (both backends)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView

from annotator.services.workspace import Workspace
from annotator.ui.main_window import MainWindow
from annotator.ui.team.desk_hooks import assign_selected
from annotator.ui.team.hand_assign_dialog import HandAssignDialog

SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


def five_documents(ws: Workspace, tmp_path: Path) -> list[int]:
    folder = tmp_path / "texts"
    folder.mkdir(exist_ok=True)
    for i in range(5):
        (folder / f"doc{i}.txt").write_text(f"Document {i}: talks in Beijing ended.")
    assert ws.importer.import_paths(sorted(folder.glob("*.txt"))).ok
    return [d.id for d in ws.documents.list_for(0)]


def click_row(qtbot, table: QTableView, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def toggle(qtbot, dialog: HandAssignDialog, name: str, times: int = 1) -> None:
    """Tick or clear a person as the keyboard does it (Space on the current row)."""
    item = next(
        dialog.people.topLevelItem(r)
        for r in range(dialog.people.topLevelItemCount())
        if dialog.people.topLevelItem(r).data(0, Qt.ItemDataRole.UserRole) == name
    )
    dialog.people.setCurrentItem(item)
    dialog.people.setFocus()
    for _ in range(times):
        qtbot.keyClick(dialog.people, Qt.Key.Key_Space)


def row_of(dialog: HandAssignDialog, name: str) -> list[str]:
    for r in range(dialog.people.topLevelItemCount()):
        item = dialog.people.topLevelItem(r)
        if item.data(0, Qt.ItemDataRole.UserRole) == name:
            return [item.text(c) for c in range(3)] + [item.checkState(0).name]
    raise AssertionError(name)


def open_dialog(qtbot, window: MainWindow) -> HandAssignDialog:
    window.assign_hand_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "hand_assign_dialog", None) is not None)
    dialog = window.hand_assign_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_a_supervisor_selects_documents_and_assigns_them_by_hand(
    qtbot, make_window, workspace: Workspace, tmp_path: Path
) -> None:
    ids = five_documents(workspace, tmp_path)
    people = {n: workspace.annotators.sign_in(n).id for n in ("sam", "alice", "bob")}
    # alice has document 1 in her queue already and has worked on it (a span).
    workspace.assignments.assign_by_hand(by="sam", documents=[ids[1]], annotators=["alice"])
    label = workspace.labels.list()[0].id
    workspace.annotations.add(ids[1], people["alice"], label, 0, 8)
    window = make_window("sam")
    from annotator.ui.team.team_view import TeamView

    window.team_view = TeamView(workspace, window.desk.annotator, window, compute_agreement_now=True)
    window.team_view.show()
    table = window.documents.table
    assert table.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert window.assign_hand_action in table.actions()  # the list's context menu
    opened = window.desk.document.id
    click_row(qtbot, table, 0)
    click_row(qtbot, table, 2, SHIFT)  # rows 0-2
    click_row(qtbot, table, 4, CTRL)  # and row 4
    assert window.desk.document.id == opened  # selecting several opens nothing
    dialog = open_dialog(qtbot, window)
    assert dialog.documents == [ids[0], ids[1], ids[2], ids[4]]
    # Who has how many of the four, and who worked on them; annotators first, then the supervisor.
    assert [h.name for h in dialog.holdings] == ["alice", "bob", "sam"]
    assert row_of(dialog, "alice") == ["alice", "1 of 4", "1", "PartiallyChecked"]
    assert row_of(dialog, "bob") == ["bob", "0 of 4", "0", "Unchecked"]
    assert row_of(dialog, "sam") == ["sam (supervisor)", "0 of 4", "0", "Unchecked"]
    assert not dialog.apply_button.isEnabled()  # nothing chosen yet
    toggle(qtbot, dialog, "bob")
    assert dialog.change.text() == "On Apply: bob gets 4."
    toggle(qtbot, dialog, "alice")  # half -> ticked: she would get the other three
    assert dialog.choice() == (["alice", "bob"], [])
    toggle(qtbot, dialog, "alice")  # ticked -> clear: out of her queue, her work kept
    assert dialog.choice() == (["bob"], ["alice"])
    assert "alice loses 1 from the queue (their work on 1 of them stays)" in dialog.change.text()
    said = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("their spans and statuses are kept" in text for text in said)  # what happens, explained
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert workspace.assignments.queue(people["bob"]) == [ids[0], ids[1], ids[2], ids[4]]
    assert workspace.assignments.queue(people["alice"]) == []
    assert len(workspace.annotations.spans_for(ids[1], people["alice"])) == 1  # her work stays
    assert "4 added, 1 taken out of queues" in window.statusBar().currentMessage()
    by_name = {p.name: p for p in window.team_view.progress.people}
    assert by_name["bob"].assigned == 4  # the Team view refreshed
    # Opened again on the same selection: bob has all four (ticked), alice none but her work.
    dialog = open_dialog_again(qtbot, window)
    assert row_of(dialog, "bob")[1:] == ["4 of 4", "0", "Checked"]
    assert row_of(dialog, "alice")[1:] == ["0 of 4", "1", "Unchecked"]
    dialog.reject()
    window.team_view.close()


def open_dialog_again(qtbot, window: MainWindow) -> HandAssignDialog:
    window.hand_assign_dialog = None
    return open_dialog(qtbot, window)


def test_the_change_is_refused_with_nothing_stored_when_the_role_is_gone(
    qtbot, make_window, workspace: Workspace, tmp_path: Path
) -> None:
    ids = five_documents(workspace, tmp_path)
    for name in ("sam", "alice", "kim"):
        workspace.annotators.sign_in(name)
    workspace.annotators.grant("kim", "supervisor", by="sam")
    window = make_window("kim")
    click_row(qtbot, window.documents.table, 1)
    dialog = open_dialog(qtbot, window)
    assert dialog.documents == [ids[1]]
    workspace.annotators.grant("kim", "annotator", by="sam")  # meanwhile, in the Team dialog
    toggle(qtbot, dialog, "alice")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "only a supervisor assigns documents" in dialog.error.text()
    assert workspace.assignments.all_rows() == []
    dialog.reject()


def test_an_annotator_never_sees_the_entry(qtbot, make_window, workspace: Workspace, tmp_path: Path) -> None:
    five_documents(workspace, tmp_path)
    window = make_window("alice")
    assert window.desk.annotator.role == "annotator"
    assert not window.assign_hand_action.isVisible()
    file_menu = window.menuBar().actions()[0].menu()
    assert window.assign_hand_action in file_menu.actions()  # there, but hidden
    table = window.documents.table
    assert table.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert table.contextMenuPolicy() != Qt.ContextMenuPolicy.ActionsContextMenu
    click_row(qtbot, table, 2)
    assert window.desk.document.id == window.documents.model.id_at(2)  # a click opens, as before
    window.assign_hand_action.trigger()  # hidden and disabled: nothing happens
    assign_selected(window)  # and the command itself refuses, should anything call it
    assert "Only a supervisor assigns documents" in window.statusBar().currentMessage()
    assert getattr(window, "hand_assign_dialog", None) is None
    assert workspace.assignments.all_rows() == []
