"""The passages of a compared document: where annotators agree, and how they differ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.domain.comparison import Passage
from annotator.ui.span_table import excerpt
from annotator.ui.table_model import (
    Index,
    ReadOnlyTableModel,
)

VERDICT_TEXT = {
    "agree": "agree",
    "label": "label differs",
    "boundary": "boundary differs",
    "both": "boundary + label differ",
    "only": "only some marked it",
}
VERDICT_COLOR = {
    "agree": "#d9f2d9",
    "label": "#e8dcf5",
    "boundary": "#fde7c8",
    "both": "#f8d0d0",
    "only": "#d6e6f5",
}


class PassageModel(ReadOnlyTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.passages: list[Passage] = []
        self.annotators: list[str] = []
        self.text = ""
        self.gold: Mapping[tuple[int, int], str] = {}

    def reset(self, text: str, passages: Sequence[Passage], annotators: Sequence[str]) -> None:
        self.beginResetModel()
        self.text, self.passages, self.annotators = text, list(passages), list(annotators)
        self.endResetModel()

    def set_gold(self, gold: Mapping[tuple[int, int], str]) -> None:
        """Gold spans by (start, end) -> label, shown in the last column."""
        self.gold = gold
        if self.passages:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, last), self.index(len(self.passages) - 1, last))

    def rows(self) -> list[Passage]:
        return self.passages

    def headers(self) -> list[str]:
        return ["Passage", "Verdict", *self.annotators, "Gold"]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        passage = self.passages[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.BackgroundRole and column == 1:
            return QColor(VERDICT_COLOR[passage.verdict])
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor("#000000")
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return self.text[passage.start : passage.end][:600]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return excerpt(self.text[passage.start : passage.end])
        if column == 1:
            return VERDICT_TEXT[passage.verdict]
        if column == 2 + len(self.annotators):
            inside = [
                f"{label} [{s}-{e}]"
                for (s, e), label in self.gold.items()
                if s < passage.end and e > passage.start
            ]
            return "; ".join(sorted(inside))
        name = self.annotators[column - 2]
        return "; ".join(f"{s.label} [{s.start}-{s.end}]" for s in passage.by(name)) or "—"


class PassageTable(QTableView):
    passageChosen = Signal(int)  # row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passage_model = PassageModel()
        self.setModel(self.passage_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.setColumnWidth(0, 260)
        self.setColumnWidth(1, 150)
        self.clicked.connect(lambda index: self.passageChosen.emit(index.row()))
        self.activated.connect(lambda index: self.passageChosen.emit(index.row()))

    def current_passage(self) -> Passage | None:
        rows = self.selectionModel().selectedRows()
        return self.passage_model.passages[rows[0].row()] if rows else None
