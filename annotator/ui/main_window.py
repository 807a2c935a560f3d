"""The annotating desk's window: documents on the left, the article in the middle, labels, spans
and guidelines on the right, a status bar below. Layout lives here (and in ui/desk/); behaviour
lives in AnnotationDesk."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QVBoxLayout, QWidget

from annotator.services.models import AnnotatorInfo, DocumentSummary, SpanInfo
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace
from annotator.ui.actions import make_action, shortcut_rows
from annotator.ui.annotation_desk import AnnotationDesk
from annotator.ui.desk.document_data_commands import DocumentDataCommands
from annotator.ui.desk.document_label_bar import DocumentLabelBar, document_labels_in_order
from annotator.ui.desk.file_commands import FileCommands
from annotator.ui.desk.guidelines_panel import GuidelinesPanel
from annotator.ui.desk.help_dialog import HelpDialog
from annotator.ui.desk.menus import VIEW_ONLY, build_menus
from annotator.ui.desk.note_dialog import NoteDialog
from annotator.ui.desk.status_text import plural, quoted, short_title
from annotator.ui.desk.theme import theme_manager
from annotator.ui.desk.window_layout import make_main_splitter, restore_layout, save_layout, titled
from annotator.ui.document_list import DOCUMENT_COLUMNS_KEY, DocumentList
from annotator.ui.find_bar import FindBar
from annotator.ui.label_palette import LabelPalette
from annotator.ui.span_table import SpanTable
from annotator.ui.span_text_view import SpanTextView
from annotator.ui.suggestions.controller import SuggestionController
from annotator.ui.team.desk_hooks import apply_role, queue_of


class MainWindow(FileCommands, DocumentDataCommands, QMainWindow):
    connectRequested = Signal(str)  # the composition root opens that database in a new window

    label_menu: QMenu
    all_actions: list[QAction]
    review_action: QAction
    team_action: QAction
    team_view_action: QAction
    assign_hand_action: QAction
    snap_action: QAction
    trim_action: QAction
    guidelines_action: QAction
    documents_action: QAction
    theme_actions: dict[str, QAction]

    def __init__(self, workspace: Workspace, annotator: AnnotatorInfo, settings: Settings) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings
        self.view = SpanTextView()
        self.desk = AnnotationDesk(workspace, annotator, self.view)
        self.documents = DocumentList()
        self.palette_widget = LabelPalette()
        self.span_table = SpanTable()
        self.guidelines = GuidelinesPanel()
        self.find_bar = FindBar(self.view)
        self.status_label = QLabel()
        self.label_actions: list[QAction] = []
        self.document_label_bar = DocumentLabelBar()
        self.former_hotkeys: dict[str, str] = {}  # key -> the label that had it this session
        self.setWindowTitle("Annotator")
        self._build_layout()
        build_menus(self)
        self._connect()
        self.suggestions = SuggestionController(self)
        self.desk.snap_words = bool(settings.get("snap_words", True))
        self.desk.trim_whitespace = bool(settings.get("trim_whitespace", True))
        self.review_action.setEnabled(annotator.role == "supervisor")
        self.team_action.setEnabled(annotator.role == "supervisor")
        self.team_view_action.setEnabled(annotator.role == "supervisor")
        apply_role(self)
        self.snap_action.setChecked(self.desk.snap_words)
        self.trim_action.setChecked(self.desk.trim_whitespace)
        choice = str(settings.get("theme", "system"))
        self.theme = theme_manager(choice)
        if self.theme.choice != choice:
            self.theme.set_choice(choice)
        self.theme_actions[self.theme.choice].setChecked(True)
        self.reload_labels()
        self.reload_documents()
        self.reload_commented()
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
        centre_layout.addWidget(self.document_label_bar)
        centre_layout.addWidget(self.view, 1)
        centre_layout.addWidget(self.find_bar)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(titled("Labels", self.palette_widget)[0])
        self.right.addWidget(titled("Spans in this document", self.span_table)[0])
        self.guidelines_box = titled("Guidelines", self.guidelines)[0]
        self.right.addWidget(self.guidelines_box)
        self.right.setStretchFactor(1, 1)
        self.right.setSizes([220, 420, 0])  # guidelines start folded away (Ctrl+G)
        documents_box, self.progress_heading = titled("Documents", self.documents)
        self.main = make_main_splitter(documents_box, centre, self.right)
        self.setCentralWidget(self.main)
        self.statusBar().addPermanentWidget(self.status_label)
        self.resize(1380, 860)
        restore_layout(self, self.settings, self._splitters())
        self.documents.set_column_widths(self.settings.get(DOCUMENT_COLUMNS_KEY))

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.main, "right": self.right}

    def closeEvent(self, event: QCloseEvent) -> None:
        save_layout(self, self.settings, self._splitters())
        self.settings.set(DOCUMENT_COLUMNS_KEY, self.documents.column_widths())
        super().closeEvent(event)

    def toggle_guidelines(self) -> None:
        sizes = self.right.sizes()
        if sizes[2] > 0:
            sizes[1] += sizes[2]
            sizes[2] = 0
        else:
            share = max(180, sum(sizes) // 3)
            sizes[2] = share
            sizes[1] = max(0, sizes[1] - share)
            if self.main.sizes()[2] == 0:
                self._unfold_side(2, 300)
        self.right.setSizes(sizes)

    def toggle_documents(self) -> None:
        sizes = self.main.sizes()
        if sizes[0] > 0:
            sizes[1] += sizes[0]
            sizes[0] = 0
            self.main.set_sizes(sizes)
        else:
            self._unfold_side(0, 260)

    def _unfold_side(self, index: int, width: int) -> None:
        sizes = self.main.sizes()
        give = min(width, max(0, sizes[1] - self.view.minimumWidth()))
        sizes[index] += give
        sizes[1] -= give
        self.main.set_sizes(sizes)

    def _connect(self) -> None:
        self.documents.documentChosen.connect(self.open_from_list)
        self.palette_widget.labelChosen.connect(self._label_chosen)
        self.palette_widget.labelHovered.connect(self.guidelines.focus_label)
        self.span_table.spanActivated.connect(self._span_activated)
        self.view.spanClicked.connect(lambda span_id: self.span_table.select_span(span_id))
        self.view.selectedSpanChanged.connect(self._selected_span_changed)
        self.view.unboundKey.connect(self._unbound_key)
        self.desk.documentOpened.connect(self._show_document_spans)
        self.desk.documentOpened.connect(lambda _id: self.show_document_data())
        self.document_label_bar.labelToggled.connect(self.toggle_document_label)
        self.desk.spanAdded.connect(self._span_added)
        self.desk.spanRemoved.connect(self._span_removed)
        self.desk.spanChanged.connect(self._span_changed)
        self.desk.statusChanged.connect(lambda _status: self._refresh_summary())
        self.desk.message.connect(self.show_message)
        self.desk.refused.connect(self.show_refusal)
        self.view.windowRefused.connect(self.show_refusal)

    def show_message(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, 6000)
        else:
            self.statusBar().clearMessage()

    def show_refusal(self, text: str) -> None:
        self.statusBar().showMessage(f"⚠ {text}", 8000)

    # ----- labels and documents -------------------------------------------------------

    def reload_labels(self) -> None:
        for label in self.desk.active_labels():  # what the keys meant before this reload
            if label.hotkey:
                self.former_hotkeys[label.hotkey.casefold()] = label.name
        self.desk.reload_labels()
        labels = self.desk.active_labels()
        self.palette_widget.set_labels(labels)
        self.guidelines.set_labels(labels + document_labels_in_order(list(self.desk.labels.values())))
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
        self.reload_document_labels()
        self._show_document_spans()

    def reload_documents(self) -> None:
        annotator_id = self.desk.annotator.id
        self.documents.set_source(self.workspace.document_pages, annotator_id, queue_of(self))
        if self.desk.document is not None:
            self.documents.mark_current(self.desk.document.id)
        self._refresh_progress()

    def _start_document(self) -> int | None:
        last = self.settings.get("last_document")
        if isinstance(last, int) and self.documents.contains(last):
            return last
        return self.documents.first_id()

    def open_document(self, document_id: int) -> None:
        self.desk.open_document(document_id)
        self.documents.mark_current(document_id)
        self.settings.set("last_document", document_id)
        assert self.desk.document is not None
        self.setWindowTitle(f"{short_title(self.desk.document.title)} — Annotator")
        self.view.setFocus()

    def step_document(self, step: int) -> None:
        if self.documents.first_id() is None:
            return
        current = self.desk.document.id if self.desk.document else None
        target = self.documents.neighbour(current, step)
        if target is not None:
            self.open_document(target)
        else:
            self.show_message("No more documents in this direction.")

    def open_from_list(self, document_id: int) -> None:
        """A document chosen in the list; when the list searches text, land on the first hit."""
        self.open_document(document_id)
        needle = self.documents.text_needle()
        if needle and self.desk.document is not None:
            self.find_bar.land_on(needle)

    def next_unfinished(self) -> None:
        """The next document after this one (in list order, wrapping) that is not done."""
        current = self.desk.document.id if self.desk.document else None
        target = self.documents.next_unfinished(current)
        if target is None:
            self.show_message("Every document is done. 🎉")
            return
        self.open_document(target)

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
        progress = self._refresh_progress()
        self.status_label.setText(
            f"{desk.annotator.name} · {plural(len(desk.spans), 'span')} · {desk.status.replace('_', ' ')} · "
            f"{progress} · {self.workspace.location}"
        )

    def _refresh_progress(self) -> str:
        done, total = self.documents.progress()
        text = f"{done:,} of {plural(total, 'document')} done"
        self.progress_heading.setText(f"<b>Documents</b> · {text}")
        return text

    # ----- handlers ---------------------------------------------------------------------

    def _label_chosen(self, label_id: int) -> None:
        self.desk.apply_label(label_id)
        self.view.setFocus()

    def _span_activated(self, span_id: int) -> None:
        self.desk.select_span(span_id)
        self.view.setFocus()

    def _selected_span_changed(self, span_id: int) -> None:
        span = self.desk.spans.get(span_id)
        if span is not None:
            self.guidelines.focus_label(span.label_id)

    def _unbound_key(self, key: str) -> None:
        labels = self.desk.active_labels()
        keys = ", ".join(f"{x.hotkey} {x.name}" for x in labels if x.hotkey) or "none"
        former = self.former_hotkeys.get(key.casefold())
        if former is None:
            former = next((x.name for x in self.desk.labels.values() if x.archived and x.hotkey == key), None)
        was = f" (it was the key of “{former}”)" if former else ""
        self.show_refusal(f"No label has the key “{key}”{was}. Label keys: {keys}.")

    def clear_selection(self) -> None:
        self.view.clear_selection()
        self.view.select_span(None)

    def toggle_snap(self) -> None:
        self.desk.snap_words = self.snap_action.isChecked()
        self.settings.set("snap_words", self.desk.snap_words)

    def toggle_trim(self) -> None:
        self.desk.trim_whitespace = self.trim_action.isChecked()
        self.settings.set("trim_whitespace", self.desk.trim_whitespace)

    def set_theme(self, choice: str) -> None:
        self.settings.set("theme", choice)
        self.theme.set_choice(choice)
        self.show_message(f"Theme: {choice}")

    def edit_note(self) -> None:
        span_id = self.view.selected_span_id
        span = self.desk.spans.get(span_id) if span_id is not None else None
        if span is None or self.desk.document is None:
            self.show_refusal("Click a span first, then edit its note (F2).")
            return
        excerpt = quoted(self.desk.document.text[span.start : span.end], 80)
        dialog = self.note_dialog = NoteDialog(excerpt, span.note or "", self)
        dialog.accepted.connect(lambda: self.desk.set_note(span.id, dialog.note() or None))
        dialog.open()  # window-modal, without a nested event loop

    def show_help(self) -> None:
        rows = shortcut_rows(self.all_actions)
        rows += [(f"Label: {x.name}", x.hotkey or "") for x in self.desk.active_labels() if x.hotkey]
        rows += [
            (f"Document label: {x.name}", f"Ctrl+Alt+{n + 1}")
            for n, x in enumerate(document_labels_in_order(list(self.desk.labels.values()))[:9])
        ]
        rows.append(("Note dialog: save / new line", "Enter, Ctrl+Enter / Shift+Enter"))
        rows.append(("Comment dialog: save / new line", "Ctrl+Enter / Enter"))
        self.help_dialog = HelpDialog(rows, self)
        self.help_dialog.show()

    show_shortcuts = show_help
