"""The desk window's document labels (the bar above the text, Ctrl+Alt+1..9) and document
comments (Ctrl+K): a mixin of MainWindow, as FileCommands is. Document label changes are undoable
and follow the desk's rule for a finished document (it goes back to in progress, one Ctrl+Z
undoes both)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMenu

from annotator.domain.errors import AnnotatorError
from annotator.ui.actions import make_action
from annotator.ui.desk.comment_dialog import CommentDialog
from annotator.ui.desk.document_label_bar import DocumentLabelBar, document_labels_in_order
from annotator.ui.desk.status_text import quoted, short_title
from annotator.ui.document_label_command import SetDocumentLabels

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


class DocumentDataCommands:
    """Needs the MainWindow's desk, workspace, documents, show_message and show_refusal."""

    document_label_bar: DocumentLabelBar
    document_label_actions: list[Any]
    document_label_ids: frozenset[int] = frozenset()
    document_comment: str | None = None

    def _w(self) -> MainWindow:
        return self  # type: ignore[return-value]

    def build_document_data_menu(self, menu: QMenu) -> list[Any]:
        w = self._w()
        self.document_label_menu = menu.addMenu("Document &labels")
        self.document_label_actions = []
        comment = make_action(w, menu, "&Comment for the supervisor…", self.edit_comment, "Ctrl+K")
        return [comment]

    def reload_document_labels(self) -> None:
        w = self._w()
        labels = list(w.desk.labels.values())
        self.document_label_bar.set_labels(labels)
        for action in self.document_label_actions:
            w.removeAction(action)
            self.document_label_menu.removeAction(action)
        ordered = document_labels_in_order(labels)
        self.document_label_actions = [
            make_action(
                w,
                self.document_label_menu,
                label.name,
                lambda label_id=label.id: self.toggle_document_label(label_id),
                [f"Ctrl+Alt+{n + 1}"] if n < 9 else [],
            )
            for n, label in enumerate(ordered)
        ]
        self.document_label_menu.setEnabled(bool(ordered))
        self.show_document_data()

    def show_document_data(self) -> None:
        w = self._w()
        if w.desk.document is None:
            return
        data = w.workspace.document_data
        self.document_label_ids = data.labels_of(w.desk.document.id, w.desk.annotator.id)
        self.document_label_bar.set_checked(self.document_label_ids)
        self.document_comment = data.comment(w.desk.document.id, w.desk.annotator.id)

    def reload_commented(self) -> None:
        w = self._w()
        w.documents.set_commented(w.workspace.document_data.commented_documents(w.desk.annotator.id))

    def toggle_document_label(self, label_id: int) -> None:
        w = self._w()
        desk = w.desk
        if desk.document is None:
            return
        document_id = desk.document.id
        before = self.document_label_ids
        try:
            after = w.workspace.document_data.toggled(document_id, desk.annotator.id, label_id)
            self.store_document_labels(document_id, after)
        except AnnotatorError as exc:
            self.document_label_bar.set_checked(before)
            w.show_refusal(str(exc))
            return
        name = desk.labels[label_id].name
        on = label_id in after
        command = SetDocumentLabels(
            self.store_document_labels,
            desk.undo_failed,
            document_id,
            before,
            after,
            f"{'set' if on else 'clear'} document label '{name}'",
        )
        desk._push(command)  # (the desk's rule: a finished document goes back to in progress)
        desk._tell(f"Document label “{name}” {'set' if on else 'cleared'}")

    def store_document_labels(self, document_id: int, ids: frozenset[int]) -> None:
        w = self._w()
        desk = w.desk
        w.workspace.document_data.set_labels(document_id, desk.annotator.id, ids)
        if desk.document is not None and desk.document.id == document_id:
            self.document_label_ids = ids
            self.document_label_bar.set_checked(ids)
            if desk.status == "todo" and ids:
                desk.status = "in_progress"  # the service moved it in the same transaction
                desk.statusChanged.emit(desk.status)

    def edit_comment(self) -> None:
        w = self._w()
        desk = w.desk
        if desk.document is None:
            return
        document_id = desk.document.id
        title = quoted(short_title(desk.document.title, 50), 60)
        dialog = self.comment_dialog = CommentDialog(title, self.document_comment or "", w)
        dialog.accepted.connect(lambda: self._save_comment(document_id, dialog.comment()))
        dialog.open()

    def _save_comment(self, document_id: int, text: str) -> None:
        w = self._w()
        try:
            stored = w.workspace.document_data.set_comment(document_id, w.desk.annotator.id, text)
        except AnnotatorError as exc:
            w.show_refusal(str(exc))
            return
        if w.desk.document is not None and w.desk.document.id == document_id:
            self.document_comment = stored
        self.reload_commented()
        w.show_message("Saved comment for the supervisor" if stored else "Removed comment")
