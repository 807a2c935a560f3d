"""The review window's document labels and comments: one row per annotator (their document labels,
their comment for the supervisor) and a button that accepts their document labels into gold, an
undoable step on the gold layer's undo stack (Ctrl+Z / Ctrl+Shift+Z in review)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.domain.names import GOLD_NAME
from annotator.services.workspace import Workspace
from annotator.ui.annotation_desk import AnnotationDesk
from annotator.ui.document_label_command import SetDocumentLabels


class DocumentDataPanel(QWidget):
    message = Signal(str)
    goldChanged = Signal()

    def __init__(self, workspace: Workspace, desk: AnnotationDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.desk = desk  # the gold layer's desk: its undo stack takes the accepted labels
        self.gold = desk.annotator
        self.document_id: int | None = None
        self.finished_by: tuple[str, ...] = ()
        self.labels_by_annotator: dict[str, list[str]] = {}
        self.comments: dict[str, str] = {}
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Annotator", "Document labels", "Comment", ""])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.accept_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def show_document(self, document_id: int, finished_by: tuple[str, ...]) -> None:
        self.document_id = document_id
        self.finished_by = finished_by
        data = self.workspace.document_data
        self.labels_by_annotator = data.all_labels(document_id)
        self.comments = data.all_comments(document_id)
        people = sorted((set(finished_by) | set(self.labels_by_annotator) | set(self.comments)) - {GOLD_NAME})
        rows = [*people, GOLD_NAME]
        self.table.setRowCount(len(rows))
        self.accept_buttons = {}
        for r, name in enumerate(rows):
            labels = ", ".join(self.labels_by_annotator.get(name, [])) or "–"
            comment = self.comments.get(name, "")
            shown = name + ("" if name in finished_by or name == GOLD_NAME else " (not finished)")
            for c, text in enumerate((shown, labels, comment)):
                item = QTableWidgetItem(text)
                if c == 2 and comment:
                    item.setToolTip(comment)
                self.table.setItem(r, c, item)
            if name == GOLD_NAME:
                self.table.setCellWidget(r, 3, None)
                continue
            button = QPushButton("Accept into gold")
            button.setToolTip(f"Gold's document labels become {name}'s")
            button.clicked.connect(partial(self.accept, name))
            self.table.setCellWidget(r, 3, button)
            self.accept_buttons[name] = button
        self.table.resizeRowsToContents()

    def accept(self, annotator: str) -> None:
        """Gold's document labels on this document become ``annotator``'s (undoable)."""
        if self.document_id is None:
            return
        document_id = self.document_id
        by_name = {x.name: x.id for x in self.workspace.labels.list(include_archived=True)}
        wanted = frozenset(by_name[n] for n in self.labels_by_annotator.get(annotator, []) if n in by_name)
        data = self.workspace.document_data
        try:
            before = data.labels_of(document_id, self.gold.id)
            if before == wanted:
                self.message.emit(f"Gold already has {annotator}'s document labels")
                return
            self.store_gold_labels(document_id, wanted)
        except AnnotatorError as exc:
            self.message.emit(f"⚠ {exc}")
            return
        command = SetDocumentLabels(
            self.store_gold_labels,
            self.undo_failed,
            document_id,
            before,
            wanted,
            f"accept {annotator}'s document labels into gold",
        )
        self.desk._push(command)  # (the desk's rule: a reviewed document goes back to in progress)
        self.desk._tell(f"Accepted {annotator}'s document labels into gold (Ctrl+Z undoes it)")

    def store_gold_labels(self, document_id: int, label_ids: frozenset[int]) -> None:
        """Store gold's document labels and show them (what the undo command replays)."""
        self.workspace.document_data.set_labels(document_id, self.gold.id, label_ids)
        desk = self.desk
        if (
            desk.document is not None
            and desk.document.id == document_id
            and desk.status == "todo"
            and label_ids
        ):
            desk.status = "in_progress"  # the service moved it in the same transaction
            desk.statusChanged.emit(desk.status)
        if self.document_id == document_id:
            self.show_document(document_id, self.finished_by)
        self.goldChanged.emit()

    def undo_failed(self, exc: AnnotatorError) -> None:
        self.desk.undo_failed(exc)
