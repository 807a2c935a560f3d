"""The supervisor's review window: agreement overview, documents ranked by disagreement, every
annotator's spans beside the gold layer, and adjudication into gold with undo.

Only a supervisor opens it (annotators work blind). Gold is a reserved annotator, so the gold side
is an ordinary AnnotationDesk: select text and press a label key, Delete, relabel, undo.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSocketNotifier, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.perf import gc_paused
from annotator.services.models import AnnotatorInfo
from annotator.services.review import Comparison, ReviewRow
from annotator.services.workspace import Workspace
from annotator.ui.actions import make_action
from annotator.ui.agreement_panel import AgreementPanel
from annotator.ui.annotation_desk import AnnotationDesk
from annotator.ui.desk.status_text import plural, short_title
from annotator.ui.passage_table import PassageTable
from annotator.ui.review.document_data_panel import DocumentDataPanel
from annotator.ui.span_index import ViewSpan
from annotator.ui.span_text_view import SpanTextView
from annotator.ui.team.sample_panel import SamplePanel

POLL_MS = 5000
NOTIFY_DELAY_MS = 150  # gathers a burst of change notifications into one refresh
ANNOTATOR_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
VIEW_ONLY = Qt.ShortcutContext.WidgetWithChildrenShortcut


def titled(title: str, widget: QWidget, extra: QWidget | None = None) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 0)
    header = QHBoxLayout()
    header.addWidget(QLabel(f"<b>{title}</b>"))
    if extra is not None:
        header.addWidget(extra, 1)
    layout.addLayout(header)
    layout.addWidget(widget, 1)
    return box


class ReviewWindow(QMainWindow):
    def __init__(
        self,
        workspace: Workspace,
        supervisor: AnnotatorInfo,
        parent: QWidget | None = None,
        *,
        snap_words: bool = True,
        trim_whitespace: bool = True,
    ) -> None:
        if supervisor.role != "supervisor":
            raise AnnotatorError("only a supervisor can open the review window (annotators work blind)")
        super().__init__(parent)
        self.setWindowTitle("Review — Annotator")
        self.workspace = workspace
        self.review = workspace.review
        self.comparison: Comparison | None = None
        self.rows: list[ReviewRow] = []
        self._seen: tuple[object, ...] = ()
        self._seen_document: tuple[object, ...] | None = None
        self.overview = AgreementPanel()
        self.sample_panel = SamplePanel()  # agreement by design (issue 13)
        self.documents = QTableWidget(0, 4)
        self.documents.setHorizontalHeaderLabels(["Document", "Finished by", "Disagreements", "Reviewed"])
        self.documents.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documents.verticalHeader().hide()
        self.documents.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.annotators_view = SpanTextView()
        self.gold_view = SpanTextView()
        self.gold = AnnotationDesk(workspace, self.review.gold(), self.gold_view)
        # The same selection rules as the desk (View > Snap, Trim there): gold spans are cut like
        # the annotators' spans they are compared with.
        self.gold.snap_words = snap_words
        self.gold.trim_whitespace = trim_whitespace
        self.legend = QLabel()
        self.passages = PassageTable()
        self.document_data = DocumentDataPanel(workspace, self.gold)
        self.accept_row = QHBoxLayout()
        self.accept_buttons: dict[str, QPushButton] = {}
        self.reviewed_button = QPushButton("Mark reviewed (Ctrl+D)")
        self.accept_agreed_button = QPushButton("Accept every agreed passage")
        self._build()
        self._actions()
        self.refresh()
        # Others keep annotating while the supervisor reviews: poll a cheap fingerprint and
        # refresh what changed (the figures and ranking; the open document only if it changed).
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._poll)
        self.poll.start()
        # On PostgreSQL the database also says when something changed (migration 0004), so new
        # work shows within a moment; a burst of notifications (an import, quick edits) makes one
        # refresh. The poll stays as the fallback (SQLite, or a lost listening connection).
        self.listener = None
        self._notifier: QSocketNotifier | None = None
        self._listening_lost = False
        self._notified = QTimer(self)
        self._notified.setSingleShot(True)
        self._notified.setInterval(NOTIFY_DELAY_MS)
        self._notified.timeout.connect(self.refresh_if_changed)
        self._listen()

    # ----- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(titled("Agreement", self.overview))
        left.addWidget(titled("Agreement sample", self.sample_panel))
        left.addWidget(titled("Documents by disagreement", self.documents))
        views = QSplitter(Qt.Orientation.Horizontal)
        views.addWidget(titled("Annotators' spans", self.annotators_view, self.legend))
        views.addWidget(titled("Gold layer (select text + label key; Delete; Ctrl+Z)", self.gold_view))
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(titled("Passages", self.passages), 3)
        bottom_layout.addWidget(titled("Document labels and comments", self.document_data), 2)
        buttons = QHBoxLayout()
        buttons.addLayout(self.accept_row)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_agreed_button)
        buttons.addWidget(self.reviewed_button)
        bottom_layout.addLayout(buttons)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(views)
        right.addWidget(bottom)
        right.setSizes([520, 300])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setSizes([380, 1020])
        self.setCentralWidget(main)
        self.resize(1400, 880)
        self.documents.cellClicked.connect(lambda row, _col: self.open_row(row))
        self.document_data.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.passages.passageChosen.connect(self.show_passage)
        self.reviewed_button.clicked.connect(self.mark_reviewed)
        self.accept_agreed_button.clicked.connect(self.accept_agreed)
        self.gold.spanAdded.connect(lambda _s: self._gold_changed())
        self.gold.spanRemoved.connect(lambda _s: self._gold_changed())
        self.gold.spanChanged.connect(lambda _s: self._gold_changed())
        self.gold.statusChanged.connect(self._gold_status_changed)
        self.gold.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.gold.refused.connect(lambda text: self.statusBar().showMessage(f"⚠ {text}", 8000))

    def _actions(self) -> None:
        undo = self.gold.undo_group.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.gold.undo_group.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(undo)
        self.addAction(redo)
        make_action(self, None, "Refresh", self.refresh, "F5")
        make_action(self, None, "Mark reviewed", self.mark_reviewed, "Ctrl+D")
        make_action(
            self.gold_view,
            None,
            "Delete gold span",
            self.gold.delete_selected,
            ["Del", "Backspace"],
            context=VIEW_ONLY,
        )
        self.label_actions: list[QAction] = [
            make_action(
                self.gold_view,
                None,
                label.name,
                partial(self.gold.apply_label, label.id),
                [label.hotkey] if label.hotkey else [],
                context=VIEW_ONLY,
            )
            for label in self.gold.active_labels()
        ]

    # ----- data ---------------------------------------------------------------------------

    def _listen(self) -> None:
        try:
            self.listener = self.review.change_listener()
        except AnnotatorError as exc:
            self._listening_lost = True
            self.statusBar().showMessage(f"⚠ {exc}", 5000)
            return
        self._listening_lost = False
        if self.listener is not None:
            self._notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._on_notification)

    def _stop_listening(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def _on_notification(self) -> None:
        if self.listener is None:
            return
        try:
            arrived = self.listener.drain()
        except AnnotatorError as exc:  # the server went away: poll, and listen again later
            self._stop_listening()
            self._listening_lost = True
            self.statusBar().showMessage(f"⚠ {exc}", 5000)
            return
        if arrived:
            self._notified.start()

    def _poll(self) -> None:
        if self._listening_lost:
            self._listen()
        self.refresh_if_changed()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_listening()
        super().closeEvent(event)

    def refresh_if_changed(self) -> None:
        if not self.isVisible():
            return
        try:
            overall = self.review.fingerprint()
            current = self.review.fingerprint(self.comparison.document_id) if self.comparison else None
        except AnnotatorError as exc:  # e.g. the server is restarting: try again next time
            self.statusBar().showMessage(f"⚠ {exc}", 5000)
            return
        if overall != self._seen:
            self._refresh_overview()
            if current != self._seen_document and self.comparison is not None:
                self.open_document(self.comparison.document_id)
            self.statusBar().showMessage("Updated with the annotators' latest work.", 4000)

    def refresh(self) -> None:
        """Figures and ranking from the database as it is now (others may have finished work)."""
        self._refresh_overview()
        if self.comparison is not None:
            self.open_document(self.comparison.document_id)
        elif self.rows:
            self.open_row(0)

    def _refresh_overview(self) -> None:
        self._seen = self.review.fingerprint()
        self.overview.show_result(self.review.agreement())
        self.sample_panel.refresh(self.workspace.sample_agreement)  # off the GUI thread, kept when unchanged
        self.rows = self.review.ranked_documents()
        self.documents.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = [
                row.title,
                ", ".join(row.finished_by),
                str(row.disagreements),
                "yes" if row.reviewed else "",
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(row.uid if c == 0 else text)
                self.documents.setItem(r, c, item)
        if self.comparison is not None and self.comparison.document_id in {r.document_id for r in self.rows}:
            self.documents.selectRow(
                next(i for i, r in enumerate(self.rows) if r.document_id == self.comparison.document_id)
            )

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.documents.selectRow(row)
            self.open_document(self.rows[row].document_id)

    def open_document(self, document_id: int) -> None:
        with gc_paused():
            self._open_document(document_id)

    def _open_document(self, document_id: int) -> None:
        self._seen_document = self.review.fingerprint(document_id)
        comparison = self.review.compare(document_id)
        self.comparison = comparison
        colors = {
            name: ANNOTATOR_COLORS[i % len(ANNOTATOR_COLORS)] for i, name in enumerate(comparison.annotators)
        }
        labels = {x.id: x.name for x in self.gold.labels.values()}
        spans = [
            ViewSpan(s.id, s.start, s.end, colors[name], f"{name}: {labels.get(s.label_id, '?')}", s.note)
            for name in comparison.annotators
            for s in comparison.spans.get(name, [])
        ]
        self.annotators_view.set_document(comparison.text, spans)
        self.legend.setText(
            "  ".join(
                f"<span style='background:{colors[n]}; color:white'>&nbsp;{n}&nbsp;</span>" for n in colors
            )
        )
        self.gold.open_document(document_id)
        self.passages.passage_model.reset(comparison.text, comparison.passages, comparison.annotators)
        self._gold_changed()
        self._accept_buttons(comparison.annotators)
        self.document_data.show_document(document_id, comparison.annotators)
        self.setWindowTitle(f"Review: {short_title(comparison.title, 60)} — Annotator")

    def _accept_buttons(self, annotators: tuple[str, ...]) -> None:
        for button in self.accept_buttons.values():
            self.accept_row.removeWidget(button)
            button.deleteLater()
        self.accept_buttons = {}
        for i, name in enumerate(annotators):
            button = QPushButton(f"Accept {name}'s (Alt+{i + 1})")
            button.setShortcut(QKeySequence(f"Alt+{i + 1}"))
            button.clicked.connect(partial(self.accept_from, name))
            self.accept_row.addWidget(button)
            self.accept_buttons[name] = button

    def _gold_status_changed(self, status: str) -> None:
        """Gold changed after the document was marked reviewed: show it is no longer reviewed."""
        if self.comparison is None:
            return
        for r, row in enumerate(self.rows):
            if row.document_id == self.comparison.document_id:
                item = self.documents.item(r, 3)
                if item is not None:
                    item.setText("yes" if status == "done" else "changed" if row.reviewed else "")

    def _gold_changed(self) -> None:
        labels = {x.id: x.name for x in self.gold.labels.values()}
        self.passages.passage_model.set_gold(
            {(s.start, s.end): labels.get(s.label_id, "?") for s in self.gold.spans.values()}
        )

    # ----- adjudication -------------------------------------------------------------------

    def show_passage(self, row: int) -> None:
        passage = self.passages.passage_model.passages[row]
        for view in (self.annotators_view, self.gold_view):
            view.set_selected_range(passage.start, passage.end)
            view.centerCursor()

    def accept_from(self, annotator: str) -> None:
        passage = self.passages.current_passage()
        if passage is None:
            self.statusBar().showMessage("Choose a passage first.", 4000)
            return
        chosen = passage.by(annotator)
        if not chosen:
            self.statusBar().showMessage(f"{annotator} marked nothing in this passage.", 4000)
            return
        self._accept(chosen)

    def accept_agreed(self) -> None:
        agreed = [p for p in self.passages.passage_model.passages if p.verdict == "agree"]
        first = self.comparison.annotators[0] if self.comparison and self.comparison.annotators else None
        spans = [s for p in agreed for s in p.spans if s.annotator == first]
        added = self._accept(spans)
        self.statusBar().showMessage(f"Accepted {plural(added, 'agreed span')} into gold.", 5000)

    def _accept(self, spans) -> int:
        by_name = {x.name: x.id for x in self.gold.labels.values()}
        present = {(s.start, s.end, s.label_id) for s in self.gold.spans.values()}
        added = 0
        for span in spans:
            label_id = by_name[span.label]
            if (span.start, span.end, label_id) in present:
                continue
            if self.gold.accept(label_id, span.start, span.end, span.note) is not None:
                added += 1
        return added

    def mark_reviewed(self) -> None:
        if self.comparison is None:
            return
        self.gold.set_status("done")
        self.refresh()
