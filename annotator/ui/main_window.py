"""The annotating desk's window: documents on the left, the article in the middle, labels and spans
on the right, a status bar below. Layout lives here; behaviour lives in AnnotationDesk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator import package_version
from annotator.services.models import AnnotatorInfo, DocumentSummary, SpanInfo
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace
from annotator.ui.actions import make_action, shortcut_rows
from annotator.ui.annotation_desk import AnnotationDesk
from annotator.ui.document_list import DocumentList
from annotator.ui.find_bar import FindBar
from annotator.ui.label_palette import LabelPalette
from annotator.ui.span_table import SpanTable
from annotator.ui.span_text_view import SpanTextView

VIEW_ONLY = Qt.ShortcutContext.WidgetWithChildrenShortcut


class MainWindow(QMainWindow):
    connectRequested = Signal(str)  # the composition root opens that database in a new window

    def __init__(self, workspace: Workspace, annotator: AnnotatorInfo, settings: Settings) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings
        self.view = SpanTextView()
        self.desk = AnnotationDesk(workspace, annotator, self.view)
        self.documents = DocumentList()
        self.palette_widget = LabelPalette()
        self.span_table = SpanTable()
        self.find_bar = FindBar(self.view)
        self.status_label = QLabel()
        self.label_actions: list[QAction] = []
        self.setWindowTitle("Annotator")
        self._build_layout()
        self._build_actions()
        self._connect()
        self.desk.snap_words = bool(settings.get("snap_words", True))
        self.desk.trim_whitespace = bool(settings.get("trim_whitespace", True))
        self.review_action.setEnabled(annotator.role == "supervisor")
        self.snap_action.setChecked(self.desk.snap_words)
        self.trim_action.setChecked(self.desk.trim_whitespace)
        self.reload_labels()
        self.reload_documents()
        first = self._start_document()
        if first is not None:
            self.open_document(first)
        self.view.setFocus()

    # ----- layout -----------------------------------------------------------------------

    def _build_layout(self) -> None:
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.view, 1)
        centre_layout.addWidget(self.find_bar)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._titled("Labels", self.palette_widget))
        right.addWidget(self._titled("Spans in this document", self.span_table))
        right.setStretchFactor(1, 1)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self._titled("Documents", self.documents))
        main.addWidget(centre)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([260, 720, 400])
        self.setCentralWidget(main)
        self.statusBar().addPermanentWidget(self.status_label)
        self.resize(1380, 860)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 6, 4, 0)
        heading = QLabel(f"<b>{title}</b>")
        layout.addWidget(heading)
        layout.addWidget(widget, 1)
        return box

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu, edit_menu = bar.addMenu("&File"), bar.addMenu("&Edit")
        self.label_menu, view_menu = bar.addMenu("&Label"), bar.addMenu("&View")
        go_menu, doc_menu, help_menu = bar.addMenu("&Go"), bar.addMenu("&Document"), bar.addMenu("&Help")
        a = make_action
        self.all_actions = [
            a(self, file_menu, "&Connect to database…", self.connect_database, "Ctrl+Shift+O"),
            a(self, file_menu, "&Back up database…", self.backup_database, "Ctrl+Shift+B"),
            a(self, file_menu, "&Import documents…", self.import_files, QKeySequence.StandardKey.Open),
            a(self, file_menu, "&Export training data…", self.export_data, "Ctrl+E"),
            a(self, file_menu, "Switch &annotator…", self.switch_annotator, "Ctrl+Shift+A"),
            a(self, file_menu, "&Labels…", self.edit_labels, "Ctrl+L"),
        ]
        # Supervisors only: enabled by role (annotators work blind).
        self.review_action = a(self, file_menu, "&Review and adjudicate…", self.open_review, "Ctrl+R")
        self.all_actions += [
            self.review_action,
            a(self, file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit),
        ]
        undo = self.desk.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        redo = self.desk.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            self.addAction(action)
            edit_menu.addAction(action)
        self.all_actions += [undo, redo]
        self.all_actions += [
            a(
                self.view,
                edit_menu,
                "&Delete span",
                self.desk.delete_selected,
                ["Del", "Backspace"],
                context=VIEW_ONLY,
            ),
            a(self, edit_menu, "Edit &note…", self.edit_note, ["F2", "Ctrl+M"]),
            a(self, edit_menu, "&Find in document…", self.find_bar.open_bar, QKeySequence.StandardKey.Find),
            a(self.view, edit_menu, "Clear selection", self._clear_selection, "Esc", context=VIEW_ONLY),
            a(self, view_menu, "Zoom &in", self.view.zoom_in, ["Ctrl++", "Ctrl+="]),
            a(self, view_menu, "Zoom &out", self.view.zoom_out, "Ctrl+-"),
            a(self, view_menu, "&Reset zoom", self.view.reset_zoom, "Ctrl+0"),
        ]
        view_menu.addSeparator()
        self.snap_action = a(
            self, view_menu, "&Snap selections to whole words", self._toggle_snap, checkable=True
        )
        self.trim_action = a(
            self, view_menu, "&Trim surrounding whitespace", self._toggle_trim, checkable=True
        )
        self.all_actions += [
            a(self, go_menu, "&Next document", lambda: self.step_document(1), ["Ctrl+PgDown", "Alt+Down"]),
            a(self, go_menu, "&Previous document", lambda: self.step_document(-1), ["Ctrl+PgUp", "Alt+Up"]),
            a(self.view, go_menu, "Next &span", lambda: self.desk.step_span(True), "]", context=VIEW_ONLY),
            a(
                self.view,
                go_menu,
                "Previous s&pan",
                lambda: self.desk.step_span(False),
                "[",
                context=VIEW_ONLY,
            ),
            a(self, doc_menu, "Mark &done", lambda: self.desk.set_status("done"), "Ctrl+D"),
            a(
                self,
                doc_menu,
                "Mark &in progress",
                lambda: self.desk.set_status("in_progress"),
                "Ctrl+Shift+D",
            ),
            a(self, help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1"),
            a(self, help_menu, "&About Annotator", self.show_about),
        ]

    def _connect(self) -> None:
        self.documents.documentChosen.connect(self.open_document)
        self.palette_widget.labelChosen.connect(self._label_chosen)
        self.span_table.spanActivated.connect(self._span_activated)
        self.view.spanClicked.connect(lambda span_id: self.span_table.select_span(span_id))
        self.desk.documentOpened.connect(self._show_document_spans)
        self.desk.spanAdded.connect(self._span_added)
        self.desk.spanRemoved.connect(self._span_removed)
        self.desk.spanChanged.connect(self._span_changed)
        self.desk.statusChanged.connect(lambda _status: self._refresh_summary())
        self.desk.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.desk.refused.connect(self._show_refusal)

    # ----- labels and documents -------------------------------------------------------

    def reload_labels(self) -> None:
        self.desk.reload_labels()
        labels = self.desk.active_labels()
        self.palette_widget.set_labels(labels)
        for action in self.label_actions:
            self.view.removeAction(action)
            self.label_menu.removeAction(action)
        self.label_actions = [
            make_action(
                self.view,
                self.label_menu,
                label.name,
                lambda label_id=label.id: self.desk.apply_label(label_id),
                [label.hotkey] if label.hotkey else [],
                context=VIEW_ONLY,
            )
            for label in labels
        ]
        self._show_document_spans()

    def reload_documents(self) -> None:
        self.documents.set_documents(self.workspace.documents.list_for(self.desk.annotator.id))
        if self.desk.document is not None:
            self.documents.mark_current(self.desk.document.id)

    def _start_document(self) -> int | None:
        ids = self.documents.visible_ids()
        last = self.settings.get("last_document")
        if last in ids:
            return int(last)
        return ids[0] if ids else None

    def open_document(self, document_id: int) -> None:
        self.desk.open_document(document_id)
        self.documents.mark_current(document_id)
        self.settings.set("last_document", document_id)
        assert self.desk.document is not None
        self.setWindowTitle(f"{self.desk.document.title[:80]} — Annotator")
        self.view.setFocus()

    def step_document(self, step: int) -> None:
        ids = self.documents.visible_ids()
        if not ids:
            return
        current = self.desk.document.id if self.desk.document else None
        index = ids.index(current) + step if current in ids else 0
        if 0 <= index < len(ids):
            self.open_document(ids[index])
        else:
            self.statusBar().showMessage("No more documents in this direction.", 4000)

    def _show_document_spans(self) -> None:
        desk = self.desk
        if desk.document is not None:
            self.span_table.show_spans(desk.document.text, list(desk.spans.values()), desk.labels)
            self.span_table.select_span(self.view.selected_span_id)
        self._refresh_summary()

    def _span_added(self, span: SpanInfo) -> None:
        self.span_table.span_model.insert(span)
        self.span_table.select_span(span.id)
        self._refresh_summary()

    def _span_removed(self, span: SpanInfo) -> None:
        self.span_table.span_model.remove(span.id)
        self._refresh_summary()

    def _span_changed(self, span: SpanInfo) -> None:
        self.span_table.span_model.replace(span)
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        """Counts in the palette, the document row and the status bar, from what the desk holds."""
        desk = self.desk
        self.palette_widget.set_counts(desk.label_counts)
        if desk.document is None:
            return
        doc = desk.document
        summary = DocumentSummary(doc.id, doc.uid, doc.title, len(doc.text), desk.status, len(desk.spans))
        self.documents.update_document(summary)
        self.status_label.setText(
            f"{desk.annotator.name} · {len(desk.spans)} spans · {desk.status.replace('_', ' ')} · "
            f"{self.workspace.location}"
        )

    # ----- handlers ---------------------------------------------------------------------

    def _label_chosen(self, label_id: int) -> None:
        self.desk.apply_label(label_id)
        self.view.setFocus()

    def _span_activated(self, span_id: int) -> None:
        self.desk.select_span(span_id)
        self.view.setFocus()

    def _clear_selection(self) -> None:
        self.view.clear_selection()
        self.view.select_span(None)

    def _toggle_snap(self) -> None:
        self.desk.snap_words = self.snap_action.isChecked()
        self.settings.set("snap_words", self.desk.snap_words)

    def _toggle_trim(self) -> None:
        self.desk.trim_whitespace = self.trim_action.isChecked()
        self.settings.set("trim_whitespace", self.desk.trim_whitespace)

    def _show_refusal(self, text: str) -> None:
        self.statusBar().showMessage(f"⚠ {text}", 8000)

    def edit_note(self) -> None:
        span_id = self.view.selected_span_id
        span = self.desk.spans.get(span_id) if span_id is not None else None
        if span is None:
            self._show_refusal("Click a span first, then edit its note (F2).")
            return
        note, ok = QInputDialog.getMultiLineText(self, "Note", "Note for this span:", span.note or "")
        if ok:
            self.desk.set_note(span.id, note)

    def import_files(self) -> None:
        from annotator.ui.exchange_dialogs import import_files

        import_files(self, self.workspace, self._after_import)

    def _after_import(self) -> None:
        self.reload_documents()
        if self.desk.document is None:
            first = self._start_document()
            if first is not None:
                self.open_document(first)

    def export_data(self) -> None:
        from annotator.ui.exchange_dialogs import ExportDialog

        dialog = ExportDialog(self, self.workspace, self.desk.annotator)
        dialog.exec()
        dialog.deleteLater()  # owned by the window: without this every export would leave one behind

    def edit_labels(self) -> None:
        from annotator.ui.label_editor import LabelEditor

        LabelEditor(self.workspace.labels, self).exec()
        self.reload_labels()

    def connect_database(self) -> None:
        from annotator.ui.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.settings.get("recent_databases", []), self.workspace.location, self)
        if dialog.exec():
            self.connectRequested.emit(dialog.chosen())

    def backup_database(self) -> None:
        if not self.workspace.is_sqlite:
            self._show_refusal("A PostgreSQL database is backed up on the server (pg_dump).")
            return
        source = Path(self.workspace.location)
        suggestion = source.with_name(f"{source.stem}-backup{source.suffix}")
        target, _ = QFileDialog.getSaveFileName(self, "Back up the database to", str(suggestion))
        if not target:
            return
        try:
            self.workspace.backup(Path(target))
        except Exception as exc:  # AnnotatorError: shown, the database untouched
            QMessageBox.warning(self, "Backup failed", str(exc))
            return
        self.statusBar().showMessage(f"Backed up to {target}", 8000)

    def open_review(self) -> None:
        if self.desk.annotator.role != "supervisor":
            self._show_refusal("Only a supervisor reviews others' work; annotators work blind.")
            return
        from annotator.ui.review_window import ReviewWindow

        self.review_window = ReviewWindow(self.workspace, self.desk.annotator, self)
        self.review_window.show()

    def switch_annotator(self) -> None:
        from annotator.ui.annotator_dialog import AnnotatorDialog

        dialog = AnnotatorDialog(self.workspace.annotators.list(), self.desk.annotator.name, self)
        if not dialog.exec():
            return
        try:
            annotator = self.workspace.annotators.sign_in(dialog.chosen_name(), dialog.chosen_role())
        except Exception as exc:  # AnnotatorError: shown, nothing changed
            QMessageBox.warning(self, "Annotator", str(exc))
            return
        self.settings.remember_annotator(self.workspace.location, annotator.name)
        self.desk.annotator = annotator
        self.review_action.setEnabled(annotator.role == "supervisor")
        self.reload_documents()
        if self.desk.document is not None:
            self.open_document(self.desk.document.id)

    def show_shortcuts(self) -> None:
        rows = shortcut_rows(self.all_actions)
        rows += [(f"Label: {x.name}", x.hotkey or "") for x in self.desk.active_labels() if x.hotkey]
        table = "".join(f"<tr><td>{name}</td><td><b>{keys}</b></td></tr>" for name, keys in rows)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table cellpadding=3>{table}</table>")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Annotator",
            f"<b>Annotator {package_version()}</b><p>Highlight spans, tag them, export training data.</p>"
            f"<p>Database: {self.workspace.location}</p>",
        )
