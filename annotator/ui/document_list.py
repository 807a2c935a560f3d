"""The document list: title, length, this annotator's status and span count, and (when searching)
the hits of the search in each document's text. Filtered, sorted and paged by the database
(document_page_model.py), so it opens as fast on 100,000 documents as on ten."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.text_search import searches_text
from annotator.services.document_pages import UNFINISHED, DocumentPages, DocumentQuery
from annotator.services.models import DocumentSummary
from annotator.ui.document_page_model import DocumentPageModel

SEARCH_DELAY_MS = 200  # typing pauses this long before the database is asked
COLUMN_SAMPLES = ("999.9k", "in progress", "99,999", "9,999")  # Length, Status, Spans, Hits
DOCUMENT_COLUMNS_KEY = "document_columns"  # settings: the widths the person gave the list's columns
TITLE_ROOM = 20  # average characters the Title column gets in the list's preferred width (more squeezes the text column and the document-label bar at 1400 px)
TITLE_MIN = 16  # below this, narrow columns are hidden (Length, then Spans) to give Title room
GIVE_WAY = (1, 3)  # Length, Spans: the columns a narrow list hides, in this order


class DocumentList(QWidget):
    documentChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentPageModel()
        self._progress: tuple[int, int] | None = None  # (done, all), counted by the database
        self.proxy = self.model  # (the rows as shown: sorting and filtering happen in the database)
        self.search = QLineEdit(placeholderText="Search titles and text… (Ctrl+Shift+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(
            'Matches document titles, ids and text (any length, "税" too); the Hits column counts them in the text'
        )
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
        self.table.setModel(self.model)
        # Click a column heading to sort (status sorts to do, in progress, done); the order is
        # also the order of Go > Next document. Unsorted (import order) until a heading is clicked.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Every row the same height, measured once: the view must not measure 100,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        # Title takes whatever width the other columns leave (it grows and shrinks with the
        # panel); the narrow columns keep their fitted widths unless the person drags them, and
        # what they drag is remembered (column_widths / set_column_widths).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.fitted: dict[int, int] = {}
        self.resized: dict[int, int] = {}  # column -> width the person chose
        self._fitting = False
        self._hits_shown = False
        self._fit_columns()
        header.sectionResized.connect(self._section_resized)
        self._show_hits(False)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self._typing = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._typing.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._typing.start)
        self.search.returnPressed.connect(self._open_first_hit)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.table.clicked.connect(self._chosen)
        self.table.activated.connect(self._chosen)

    def _fit_columns(self) -> None:
        """The narrow columns as wide as their widest possible value or their heading (with room
        for the sort arrow), measured once: sizing them to their contents would read rows of the
        list for every layout."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        self._fitting = True
        try:
            for column, widest in enumerate(COLUMN_SAMPLES, start=1):
                heading = str(self.model.headerData(column, Qt.Orientation.Horizontal))
                width = max(
                    metrics.horizontalAdvance(widest) + 14,
                    metrics.horizontalAdvance(heading) + 30,
                    header.sectionSizeHint(column),
                )
                self.fitted[column] = width
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, self.resized.get(column, width))
        finally:
            self._fitting = False

    def _show_hits(self, shown: bool) -> None:
        self._hits_shown = shown
        self._give_way()

    def _chrome(self) -> int:
        """What the table takes beside its columns: frame, scroll bar, the layout's margins."""
        table = self.table
        return 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width() + 8

    def _give_way(self) -> None:
        """In a narrow list the Title keeps TITLE_MIN characters: Length, then Spans, are hidden
        while there is no room for them (shown again when there is)."""
        room = self.width() - self._chrome() - TITLE_MIN * self.table.fontMetrics().averageCharWidth()
        widths = {
            c: self.resized.get(c, w)
            for c, w in self.fitted.items()
            if c != DocumentPageModel.HITS or self._hits_shown
        }
        hidden = set()
        for column in GIVE_WAY:
            if sum(widths.values()) <= room:
                break
            widths.pop(column)
            hidden.add(column)
        self._fitting = True  # (hiding and showing a column is no width the person chose)
        try:
            for column in (*GIVE_WAY, DocumentPageModel.HITS):
                hide = column in hidden or (column == DocumentPageModel.HITS and not self._hits_shown)
                if self.table.isColumnHidden(column) != hide:
                    self.table.setColumnHidden(column, hide)
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._give_way()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column in self.fitted and new > 0:
            self.resized[column] = new
            self._give_way()

    def column_widths(self) -> dict[str, int]:
        """The widths the person gave the narrow columns, by heading (for the settings)."""
        return {str(self.model.headerData(c, Qt.Orientation.Horizontal)): w for c, w in self.resized.items()}

    def set_column_widths(self, widths: object) -> None:
        """Give back remembered widths (anything unusable in ``widths`` is ignored)."""
        if not isinstance(widths, dict):
            return
        columns = {str(self.model.headerData(c, Qt.Orientation.Horizontal)): c for c in self.fitted}
        for heading, width in widths.items():
            if heading in columns and isinstance(width, int) and 16 <= width <= 1000:
                self.resized[columns[heading]] = width
        self._fit_columns()

    def sizeHint(self) -> QSize:
        """Wide enough for the narrow columns (the hits too, when searching) and TITLE_ROOM
        characters of title."""
        columns = sum(self.resized.get(c, w) for c, w in self.fitted.items())
        width = columns + TITLE_ROOM * self.table.fontMetrics().averageCharWidth() + self._chrome()
        return QSize(width, super().sizeHint().height())

    def set_source(self, pages: DocumentPages, annotator_id: int, queue: list[int] | None = None) -> None:
        """Show this annotator's documents (first page now, the rest as they scroll into view);
        ``queue``: their assigned documents in order, shown first (marked) in import order."""
        query = self.model.query if self.model.pages is pages else DocumentQuery(annotator_id)
        self._progress = None
        self.model.assigned = {doc: i + 1 for i, doc in enumerate(queue or ())}
        query = query.with_(annotator_id=annotator_id, queue_first=bool(self.model.assigned))
        self.model.set_source(pages, query)

    @property
    def assigned(self) -> dict[int, int]:
        """Document id -> place in this annotator's queue (1 = first)."""
        return self.model.assigned

    def set_commented(self, document_ids: frozenset[int]) -> None:
        """Mark (✎) the documents this annotator left a comment on."""
        self.model.commented = document_ids
        self.model.marks_changed()

    def refresh(self) -> None:
        """Read the list again (keeps the filter, the order and the selected document)."""
        self._progress = None
        self.model.refresh()

    def update_document(self, summary: DocumentSummary) -> None:
        old = self.model.replace(summary)
        if self._progress is not None:  # kept by the change, not counted again on every span
            if old is None:
                self._progress = None
            elif old.status != summary.status:
                done, total = self._progress
                self._progress = (done + (summary.status == "done") - (old.status == "done"), total)

    def progress(self) -> tuple[int, int]:
        """(documents done, all documents) for this annotator, whatever the filter shows."""
        if self.model.pages is None:
            return 0, 0
        if self._progress is None:
            self._progress = self.model.pages.progress(self.model.query.annotator_id)
        return self._progress

    def text_needle(self) -> str:
        """What the search looks for in document text ("" when it looks in titles only)."""
        needle = self.model.query.needle.strip()
        return needle if searches_text(needle) else ""

    def next_unfinished(self, current: int | None) -> int | None:
        """The first document after ``current`` in the list's order (wrapping) that is not done;
        the filter does not hide the work that is left."""
        if self.model.pages is None:
            return None
        return self.model.pages.next_unfinished(self.model.query, current)

    def visible_ids(self) -> list[int]:
        """Every document the list shows, in its order (reads every page: for small lists and tests)."""
        return [i for i in (self.model.id_at(row) for row in range(self.model.rowCount())) if i is not None]

    def first_id(self) -> int | None:
        return self.model.id_at(0)

    def contains(self, document_id: int) -> bool:
        return self.model.row_of(document_id) is not None

    def neighbour(self, document_id: int | None, step: int) -> int | None:
        """The document ``step`` rows away from ``document_id`` in the list (the first when it is not
        shown); None past either end."""
        row = self.model.row_of(document_id) if document_id is not None else None
        return self.model.id_at(0 if row is None else row + step)

    def mark_current(self, document_id: int) -> None:
        row = self.model.row_of(document_id)
        if row is None:
            self.table.clearSelection()
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_filter(self) -> None:
        """Filter by the search text and status now (typing waits SEARCH_DELAY_MS for a pause)."""
        self._typing.stop()
        needle = self.search.text().strip()
        query = self.model.query.with_(needle=needle, status=self.status.currentData())
        if query != self.model.query:
            self.model.set_query(query)
        self._show_hits(searches_text(needle))

    def hideEvent(self, event: QHideEvent) -> None:
        self._typing.stop()  # a closed window asks its database nothing more
        super().hideEvent(event)

    def _open_first_hit(self) -> None:
        self.apply_filter()
        first = self.model.id_at(0)
        if first is not None:
            self.documentChosen.emit(first)

    def _chosen(self, index: QModelIndex) -> None:
        extending = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if (
            QApplication.keyboardModifiers() & extending
            and len(self.table.selectionModel().selectedRows()) > 1
        ):
            return  # a supervisor selecting several documents (to assign them), not opening one
        document_id = self.model.id_at(index.row())
        if document_id is not None:
            self.documentChosen.emit(document_id)
