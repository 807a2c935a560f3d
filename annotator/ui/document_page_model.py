"""A table model over the document list that the database filters, sorts and pages.

The model knows how many rows the list has (one count) and asks for a page of rows when the view
paints a row it does not hold; a few pages stay cached. So the first window on 100,000 documents
reads one count and one page, and the scroll bar still shows the whole list.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.services.document_pages import DocumentPage, DocumentPages, DocumentQuery
from annotator.services.models import DocumentSummary
from annotator.ui.desk.theme import is_dark
from annotator.ui.table_model import Index

STATUS_TEXT = {"todo": "to do", "in_progress": "in progress", "done": "done"}
STATUS_COLOR = {"todo": "#8a8a8a", "in_progress": "#b07000", "done": "#2e7d32"}
STATUS_COLOR_DARK = {"todo": "#a6a6a6", "in_progress": "#f0b44c", "done": "#7bd17f"}
PAGE_ROWS = 200
CACHED_PAGES = 24
COUNT_CAP = 5000  # rows counted before the list shows; more are counted as it is scrolled


QUEUE_MARK = "▸"  # before the titles of documents assigned to this annotator (issue 13)
COMMENT_MARK = "✎"  # before the titles of documents this annotator left a comment on


class DocumentPageModel(QAbstractTableModel):
    # (heading, sort key of DocumentPages.sort_keys); a column can be added with its own key.
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("Title", "title"),
        ("Length", "length"),
        ("Status", "status"),
        ("Spans", "spans"),
        ("Hits", "position"),  # matches of the search in the text; sorted by list order
    ]
    HITS = 4

    def __init__(self) -> None:
        super().__init__()
        self.pages: DocumentPages | None = None
        self.query = DocumentQuery(annotator_id=-1)
        self._count = 0
        self._exact = True  # False: there are more rows than _count (a capped count)
        self._cache: OrderedDict[int, DocumentPage] = OrderedDict()
        self.assigned: dict[int, int] = {}  # document id -> place in this annotator's queue (issue 13)
        self.commented: frozenset[int] = frozenset()  # documents this annotator commented on

    # ----- what the list shows ---------------------------------------------------------

    def set_source(self, pages: DocumentPages, query: DocumentQuery) -> None:
        self.pages = pages
        self.set_query(query)

    def set_query(self, query: DocumentQuery) -> None:
        self.beginResetModel()
        self.query = query
        self._cache.clear()
        self._count, self._exact = (
            self.pages.count_upto(query, COUNT_CAP) if self.pages is not None else (0, True)
        )
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt signature)
        return not parent.isValid() and not self._exact

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Scrolled to the end of a capped list: count further (twice as far each time)."""
        if parent.isValid() or self._exact or self.pages is None:
            return
        count, exact = self.pages.count_upto(self.query, self._count * 2)
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count, self._exact = count, exact
            self.endInsertRows()
        else:
            self._exact = True

    def refresh(self) -> None:
        self.set_query(self.query)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.COLUMNS[column][1] if 0 <= column < len(self.COLUMNS) else "position"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.query.sort, self.query.descending):
            self.set_query(self.query.with_(sort=key, descending=descending))

    # ----- rows ------------------------------------------------------------------------

    def _page(self, number: int) -> DocumentPage:
        page = self._cache.get(number)
        if page is None:
            assert self.pages is not None
            page = self._cache[number] = self.pages.page(self.query, number * PAGE_ROWS, PAGE_ROWS)
            while len(self._cache) > CACHED_PAGES:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(number)
        return page

    def summary(self, row: int) -> DocumentSummary | None:
        if not 0 <= row < self._count:
            return None
        rows = self._page(row // PAGE_ROWS).rows
        offset = row % PAGE_ROWS
        return rows[offset] if offset < len(rows) else None  # (the list shrank since the count)

    def id_at(self, row: int) -> int | None:
        summary = self.summary(row)
        return None if summary is None else summary.id

    def hits(self, document_id: int) -> int | None:
        for page in self._cache.values():
            if document_id in page.hits:
                return page.hits[document_id]
        return None

    def row_of(self, document_id: int) -> int | None:
        """The row of a document (None when the filter hides it); cached pages first."""
        for number, page in self._cache.items():
            for offset, summary in enumerate(page.rows):
                if summary.id == document_id:
                    return number * PAGE_ROWS + offset
        if self.pages is None:
            return None
        return self.pages.row_of(self.query, document_id)

    def replace(self, summary: DocumentSummary) -> DocumentSummary | None:
        """A row changed (status, span count): shown at once; its place in a sorted list is
        settled at the next refresh. Returns the row as it was (None when not read yet)."""
        for number, page in self._cache.items():
            for offset, old in enumerate(page.rows):
                if old.id == summary.id:
                    page.rows[offset] = summary
                    row = number * PAGE_ROWS + offset
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
                    return old
        return None

    # ----- Qt --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return (
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column in (1, 3, 4)
                else None
            )
        doc = self.summary(index.row())
        if doc is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.HITS:
                hits = self.hits(doc.id)
                return "" if hits is None else str(hits)
            return (
                self._marks(doc.id) + doc.title,
                compact(doc.length),
                STATUS_TEXT.get(doc.status, doc.status),
                str(doc.span_count),
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column != 2:
                return None
            colors = STATUS_COLOR_DARK if is_dark() else STATUS_COLOR
            return QColor(colors.get(doc.status, "#888888"))
        queued = f"\n#{self.assigned[doc.id]:,} in your queue" if doc.id in self.assigned else ""
        comment = "\nyou left a comment (Ctrl+K)" if doc.id in self.commented else ""
        return f"{doc.title}\nid: {doc.uid}\n{doc.length:,} characters{queued}{comment}"

    def _marks(self, document_id: int) -> str:
        return (f"{QUEUE_MARK} " if document_id in self.assigned else "") + (
            f"{COMMENT_MARK} " if document_id in self.commented else ""
        )

    def marks_changed(self) -> None:
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, 0))


def compact(n: int) -> str:
    """A length that fits a narrow column: 950, 5.4k, 2.0M."""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.1f}k"
    return f"{n / 1_000_000:.1f}M"
