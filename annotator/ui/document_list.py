"""The document list: title, length, this annotator's status and span count; filterable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.services.models import DocumentSummary
from annotator.ui.desk.theme import is_dark
from annotator.ui.table_model import (
    Index,
    ReadOnlyTableModel,
)

STATUS_TEXT = {"todo": "to do", "in_progress": "in progress", "done": "done"}
STATUS_COLOR = {"todo": "#8a8a8a", "in_progress": "#b07000", "done": "#2e7d32"}
STATUS_COLOR_DARK = {"todo": "#a6a6a6", "in_progress": "#f0b44c", "done": "#7bd17f"}
STATUS_ORDER = {"todo": 0, "in_progress": 1, "done": 2}
UNFINISHED = "unfinished"  # the filter value for "to do or in progress"
QUEUE_MARK = "▸"  # before the titles of documents assigned to this annotator (issue 13)


class DocumentTableModel(ReadOnlyTableModel):
    HEADERS = ("Title", "Length", "Status", "Spans")

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[DocumentSummary] = []
        self.assigned: dict[int, int] = {}  # document id -> place in this annotator's queue
        self.commented: frozenset[int] = frozenset()  # documents this annotator left a comment on

    def reset(self, documents: Sequence[DocumentSummary]) -> None:
        self.beginResetModel()
        self.documents = list(documents)
        self.endResetModel()

    def replace(self, summary: DocumentSummary) -> None:
        for row, doc in enumerate(self.documents):
            if doc.id == summary.id:
                self.documents[row] = summary
                self.dataChanged.emit(self.index(row, 0), self.index(row, 3))
                return

    def rows(self) -> list[DocumentSummary]:
        return self.documents

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        doc = self.documents[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                (f"{QUEUE_MARK} " if doc.id in self.assigned else "")
                + ("✎ " if doc.id in self.commented else "")
                + doc.title,
                compact(doc.length),
                STATUS_TEXT.get(doc.status, doc.status),
                str(doc.span_count),
            )[column]
        if role == Qt.ItemDataRole.UserRole:  # sort and filter keys
            return (doc.title.casefold(), doc.length, STATUS_ORDER.get(doc.status, 0), doc.span_count)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            colors = STATUS_COLOR_DARK if is_dark() else STATUS_COLOR
            return QColor(colors.get(doc.status, "#888888"))
        if role == Qt.ItemDataRole.ToolTipRole:
            queued = f"\n#{self.assigned[doc.id]:,} in your queue" if doc.id in self.assigned else ""
            comment = "\nyou left a comment (Ctrl+K)" if doc.id in self.commented else ""
            return f"{doc.title}\nid: {doc.uid}\n{doc.length:,} characters{queued}{comment}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def compact(n: int) -> str:
    """A length that fits a narrow column: 950, 5.4k, 2.0M."""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.1f}k"
    return f"{n / 1_000_000:.1f}M"


class DocumentFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.needle = ""
        self.status = ""
        self.setSortRole(Qt.ItemDataRole.UserRole)

    def set_filter(self, needle: str, status: str) -> None:
        self.beginFilterChange()
        self.needle, self.status = needle.casefold().strip(), status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        doc = self.sourceModel().documents[row]  # type: ignore[attr-defined]
        if self.status == UNFINISHED:
            if doc.status == "done":
                return False
        elif self.status and doc.status != self.status:
            return False
        return not self.needle or self.needle in doc.title.casefold() or self.needle in doc.uid.casefold()


class DocumentList(QWidget):
    documentChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentTableModel()
        self.proxy = DocumentFilter()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(placeholderText="Filter documents…")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        for text, value in (
            ("All", ""),
            ("To do", "todo"),
            ("In progress", "in_progress"),
            ("Done", "done"),
            ("Not done", UNFINISHED),
        ):
            self.status.addItem(text, value)
        self.status.setToolTip("Show documents by your status")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        # Click a column heading to sort (status sorts to do, in progress, done); the order is
        # also the order of Go > Next document.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # unsorted (import order) until a heading is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.search.textChanged.connect(self._refilter)
        self.status.currentIndexChanged.connect(self._refilter)
        self.table.clicked.connect(self._chosen)
        self.table.activated.connect(self._chosen)

    def set_documents(self, documents: Sequence[DocumentSummary]) -> None:
        self.model.reset(documents)

    @property
    def assigned(self) -> dict[int, int]:
        return self.model.assigned

    def set_assigned(self, place: dict[int, int]) -> None:
        """Mark the documents in this annotator's queue (document id -> place, 1 = first)."""
        self.model.beginResetModel()
        self.model.assigned = dict(place)
        self.model.endResetModel()

    def set_commented(self, document_ids: frozenset[int]) -> None:
        """Mark (✎) the documents this annotator left a comment on."""
        self.model.commented = document_ids
        if self.model.documents:
            self.model.dataChanged.emit(
                self.model.index(0, 0), self.model.index(len(self.model.documents) - 1, 0)
            )

    def update_document(self, summary: DocumentSummary) -> None:
        self.model.replace(summary)

    def progress(self) -> tuple[int, int]:
        """(documents done, all documents) for this annotator, whatever the filter shows."""
        docs = self.model.documents
        return sum(1 for d in docs if d.status == "done"), len(docs)

    def next_unfinished(self, current: int | None) -> int | None:
        """The first document after ``current`` in the list's order (wrapping) that is not done."""
        order = self.visible_ids()
        by_id = {d.id: d for d in self.model.documents}
        hidden = [d.id for d in self.model.documents if d.id not in set(order)]
        order += hidden  # a filter must not hide the work that is left
        start = order.index(current) + 1 if current in order else 0
        for doc_id in order[start:] + order[:start]:
            if doc_id != current and by_id[doc_id].status != "done":
                return doc_id
        return None

    def visible_ids(self) -> list[int]:
        return [
            self.model.documents[self.proxy.mapToSource(self.proxy.index(row, 0)).row()].id
            for row in range(self.proxy.rowCount())
        ]

    def mark_current(self, document_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.model.documents[source.row()].id == document_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return
        self.table.clearSelection()

    def _refilter(self) -> None:
        self.proxy.set_filter(self.search.text(), self.status.currentData())

    def _chosen(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        self.documentChosen.emit(self.model.documents[source.row()].id)
