"""What issue 13 adds to the desk window: the queue (assigned documents first, Go > Next in my
queue), the Team view's menu entry and, for supervisors, assigning the documents selected in the
list by hand. Kept here so the desk's own files change by a few lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QMessageBox

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def queue_of(w: MainWindow) -> list[int]:
    """This annotator's assigned documents in queue order (the list shows them first, marked)."""
    return w.workspace.assignments.queue(w.desk.annotator.id)


def next_in_queue(w: MainWindow) -> None:
    """Go > Next in my queue: the next assigned document (queue order, wrapping) not done yet."""
    if not w.documents.assigned:
        w.show_message("Nothing is assigned to you; every document in the list is open to you.")
        return
    current = w.desk.document.id if w.desk.document else None
    found = w.workspace.document_pages.next_in_queue(w.desk.annotator.id, current)
    if found is None:
        w.show_message("Every document in your queue is done. 🎉")
        return
    doc_id, place, total = found
    w.open_document(doc_id)
    w.show_message(f"Document {place:,} of {total:,} in your queue")


def open_team_view(w: MainWindow) -> None:
    if w.desk.annotator.role != "supervisor":
        w.show_refusal("Only a supervisor sees the Team view; annotators work blind.")
        return
    from annotator.ui.team.team_view import TeamView

    try:
        w.team_view = TeamView(w.workspace, w.desk.annotator, w)
    except Exception as exc:  # AnnotatorError, StoreError: said, nothing changed
        QMessageBox.warning(w, "Team view", str(exc))
        return
    w.team_view.show()


def apply_role(w: MainWindow) -> None:
    """What the signed-in person's role shows: supervisors select several documents in the list
    and assign them by hand (menu and the list's context menu); annotators never see the entry."""
    supervisor = w.desk.annotator.role == "supervisor"
    w.assign_hand_action.setVisible(supervisor)
    w.assign_hand_action.setEnabled(supervisor)
    table = w.documents.table
    mode = QAbstractItemView.SelectionMode
    table.setSelectionMode(mode.ExtendedSelection if supervisor else mode.SingleSelection)
    policy = Qt.ContextMenuPolicy
    table.setContextMenuPolicy(policy.ActionsContextMenu if supervisor else policy.DefaultContextMenu)
    if w.assign_hand_action not in table.actions():
        table.addAction(w.assign_hand_action)


def selected_documents(w: MainWindow) -> list[tuple[int, str]]:
    """(id, title) of the documents selected in the list, in the list's order."""
    model = w.documents.model
    rows = sorted(index.row() for index in w.documents.table.selectionModel().selectedRows())
    found = [model.summary(row) for row in rows]
    return [(s.id, s.title) for s in found if s is not None]


def assign_selected(w: MainWindow) -> None:
    """File > Assign selected documents… (and the list's context menu): to people, or out of
    their queues, by hand."""
    if w.desk.annotator.role != "supervisor":
        w.show_refusal("Only a supervisor assigns documents; annotators work blind.")
        return
    chosen = selected_documents(w)
    if not chosen:
        w.show_message("Select documents in the list first (Ctrl+click or Shift+click for several).")
        return
    from annotator.ui.team.hand_assign_dialog import HandAssignDialog

    try:
        dialog = HandAssignDialog(
            w.workspace.assignments, w.desk.annotator, [d for d, _t in chosen], [t for _d, t in chosen], w
        )
    except Exception as exc:  # AnnotatorError, StoreError: said, nothing changed
        QMessageBox.warning(w, "Assign documents", str(exc))
        return
    w.hand_assign_dialog = dialog
    dialog.accepted.connect(lambda: _assigned(w, dialog))
    dialog.open()  # window-modal, without a nested event loop


def _assigned(w: MainWindow, dialog: object) -> None:
    from annotator.ui.team.hand_assign_dialog import HandAssignDialog

    assert isinstance(dialog, HandAssignDialog) and dialog.result_rows is not None
    added, removed = dialog.result_rows
    w.reload_documents()  # one's own queue may have changed
    _reselect(w, dialog.documents)
    view = getattr(w, "team_view", None)
    if view is not None and view.isVisible():
        view.refresh()
    w.show_message(
        f"Assignments changed: {added:,} added, {removed:,} taken out of queues; no work was lost."
    )


def _reselect(w: MainWindow, documents: list[int], most: int = 500) -> None:
    """Select the documents again after the list was read anew (to change the same selection
    once more); a very long selection is not looked up row by row."""
    if len(documents) > most:
        return
    model, table = w.documents.model, w.documents.table
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    rows = [r for r in (model.row_of(d) for d in documents) if r is not None]
    if rows:
        table.clearSelection()
    for row in rows:
        table.selectionModel().select(model.index(row, 0), flags)
