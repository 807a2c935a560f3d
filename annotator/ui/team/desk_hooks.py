"""What issue 13 adds to the desk window: the queue (assigned documents first, Go > Next in my
queue) and the Team view's menu entry. Kept here so the desk's own files change by a few lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from annotator.services.models import DocumentSummary

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def queue_ordered(w: MainWindow, documents: list[DocumentSummary]) -> list[DocumentSummary]:
    """The list with this annotator's queue first; the list marks what is theirs."""
    ordered, place = w.workspace.assignments.queue_first(documents, w.desk.annotator.id)
    w.documents.set_assigned(place)
    return ordered


def next_in_queue(w: MainWindow) -> None:
    """Go > Next in my queue: the next assigned document (queue order, wrapping) not done yet."""
    place = w.documents.assigned
    if not place:
        w.show_message("Nothing is assigned to you; every document in the list is open to you.")
        return
    status = {d.id: d.status for d in w.documents.model.documents}
    order = sorted(place, key=place.__getitem__)
    current = w.desk.document.id if w.desk.document else None
    start = order.index(current) + 1 if current in order else 0
    for doc_id in order[start:] + order[:start]:
        if doc_id != current and status.get(doc_id) != "done":
            w.open_document(doc_id)
            w.show_message(f"Document {place[doc_id]:,} of {len(order):,} in your queue")
            return
    w.show_message("Every document in your queue is done. 🎉")


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
