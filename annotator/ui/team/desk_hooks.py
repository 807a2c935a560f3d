"""What issue 13 adds to the desk window: the queue (assigned documents first, Go > Next in my
queue) and the Team view's menu entry. Kept here so the desk's own files change by a few lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

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
