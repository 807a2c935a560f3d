"""The list of this document's spans: label, text, note. Activating a row jumps to the span."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.services.models import LabelInfo, SpanInfo
from annotator.ui.swatches import swatch_icon
from annotator.ui.table_model import Index, ReadOnlyTableModel

EXCERPT = 80
LABEL_WIDTH, NOTE_WIDTH = 120, 110  # px at most; the text column takes the rest


class SpanTableModel(ReadOnlyTableModel):
    HEADERS = ("Label", "Text", "Note")

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[SpanInfo] = []
        self._labels: Mapping[int, LabelInfo] = {}
        self._text = ""

    def reset(self, text: str, spans: Sequence[SpanInfo], labels: Mapping[int, LabelInfo]) -> None:
        self.beginResetModel()
        self._text, self._labels = text, labels
        self._spans = sorted(spans, key=order)
        self.endResetModel()

    def insert(self, span: SpanInfo) -> None:
        row = bisect.bisect_left(self._spans, order(span), key=order)
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(row, span)
        self.endInsertRows()

    def remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._spans[row]
            self.endRemoveRows()

    def replace(self, span: SpanInfo) -> None:
        row = self.row_of(span.id)
        if row is not None:
            self._spans[row] = span
            self.dataChanged.emit(self.index(row, 0), self.index(row, 2))

    def span_at(self, row: int) -> SpanInfo:
        return self._spans[row]

    def row_of(self, span_id: int) -> int | None:
        for row, span in enumerate(self._spans):
            if span.id == span_id:
                return row
        return None

    def rows(self) -> list[SpanInfo]:
        return self._spans

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        span = self._spans[index.row()]
        label = self._labels.get(span.label_id)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return label.name if label else "?"
            if column == 1:
                return excerpt(self._text[span.start : span.end])
            return span.note or ""
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and label:
            return swatch_icon(label.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.start}-{span.end}: {self._text[span.start : span.end][:500]}"
        return None


# (start, end, id) of a SpanInfo, in C: sorting a 20 MB document's 200,000 spans calls it for each.
order: Callable[[SpanInfo], tuple[int, int, int]] = itemgetter(4, 5, 0)  # type: ignore[assignment]


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


class SpanTable(QTableView):
    spanActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.span_model = SpanTableModel()
        self.setModel(self.span_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        # The span's text matters most: it takes what the label and note columns leave, and those
        # two shrink with the table (see resizeEvent), so the text never stays collapsed to "…".
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(24)
        self._fit_columns()
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.clicked.connect(self._emit)
        self.activated.connect(self._emit)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        width = self.viewport().width()
        header = self.horizontalHeader()
        header.resizeSection(0, int(min(LABEL_WIDTH, max(40, width * 0.3))))
        header.resizeSection(2, int(min(NOTE_WIDTH, max(30, width * 0.2))))

    def show_spans(self, text: str, spans: Sequence[SpanInfo], labels: Mapping[int, LabelInfo]) -> None:
        self.span_model.reset(text, spans, labels)

    def select_span(self, span_id: int | None) -> None:
        row = None if span_id is None else self.span_model.row_of(span_id)
        if row is None:
            self.clearSelection()
            return
        self.selectRow(row)
        self.scrollTo(self.span_model.index(row, 0))

    def _emit(self, index: QModelIndex) -> None:
        self.spanActivated.emit(self.span_model.span_at(index.row()).id)
