"""The review window's document labels and comments: one row per annotator (their document labels,
their comment for the supervisor) and a button that accepts their document labels into gold."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.domain.names import GOLD_NAME
from annotator.services.models import AnnotatorInfo
from annotator.services.workspace import Workspace


class DocumentDataPanel(QWidget):
    message = Signal(str)
    goldChanged = Signal()

    def __init__(self, workspace: Workspace, gold: AnnotatorInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.gold = gold
        self.document_id: int | None = None
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
        """Gold's document labels on this document become ``annotator``'s."""
        if self.document_id is None:
            return
        by_name = {x.name: x.id for x in self.workspace.labels.list(include_archived=True)}
        wanted = frozenset(by_name[n] for n in self.labels_by_annotator.get(annotator, []) if n in by_name)
        try:
            self.workspace.document_data.set_labels(self.document_id, self.gold.id, wanted)
        except AnnotatorError as exc:
            self.message.emit(f"⚠ {exc}")
            return
        finished = tuple(n for n in self.labels_by_annotator if n != GOLD_NAME)
        self.show_document(self.document_id, finished)
        self.message.emit(f"Accepted {annotator}'s document labels into gold")
        self.goldChanged.emit()
