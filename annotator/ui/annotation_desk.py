"""The desk: turns selections and keys into stored spans, and keeps every view of them in step.

Every change goes through the services first (one committed transaction) and is shown only after
it is stored, so what the screen shows as made survives a crash.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from annotator.domain.errors import AnnotatorError
from annotator.domain.span_edit import snap_selection
from annotator.domain.text_window import WINDOW_THRESHOLD
from annotator.perf import gc_paused
from annotator.services.models import AnnotatorInfo, DocumentContent, LabelInfo, SpanInfo
from annotator.services.workspace import Workspace
from annotator.ui.desk.status_text import quoted, short_title
from annotator.ui.span_commands import AddSpan, DeleteSpan, EditNote, RelabelSpan, SetStatus
from annotator.ui.span_index import ViewSpan
from annotator.ui.span_rows import SpanRows
from annotator.ui.span_text_view import SpanTextView


class AnnotationDesk(QObject):
    message = Signal(str)  # what just happened, for the status bar
    refused = Signal(str)  # what could not be done, and why
    documentOpened = Signal(int)  # a document (and its spans) is now shown
    spanAdded = Signal(object)  # SpanInfo, on the current document
    spanRemoved = Signal(object)  # SpanInfo
    spanChanged = Signal(object)  # SpanInfo (label or note)
    statusChanged = Signal(str)  # this annotator's status on the current document

    def __init__(self, workspace: Workspace, annotator: AnnotatorInfo, view: SpanTextView) -> None:
        super().__init__()
        self.workspace = workspace
        self.annotator = annotator
        self.view = view
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self.labels: dict[int, LabelInfo] = {}
        self.document: DocumentContent | None = None
        self.spans: dict[int, SpanInfo] = {}
        self.label_counts: Counter[int] = Counter()
        self.status = "todo"
        self.snap_words = True
        self.trim_whitespace = True
        self._reopened = False  # the last edit put a finished document back in progress
        # Asked first when a label key is pressed; True when it took the key (a selected suggestion).
        self.label_hook: Callable[[int], bool] | None = None
        self.reload_labels()

    # ----- loading ----------------------------------------------------------------------

    def reload_labels(self) -> None:
        self.labels = {label.id: label for label in self.workspace.reads.labels(include_archived=True)}
        if self.document is not None:
            self.view.set_spans(self._spans_for_view(self.spans.values()))
            self.documentOpened.emit(self.document.id)

    def active_labels(self) -> list[LabelInfo]:
        """The span labels in use (document labels have their own bar, ui/desk/document_label_bar.py)."""
        return sorted(
            (x for x in self.labels.values() if not x.archived and not x.is_document_label),
            key=lambda x: (x.position, x.id),
        )

    def open_document(self, document_id: int) -> None:
        with gc_paused():
            self._open_document(document_id)

    def _open_document(self, document_id: int) -> None:
        reads = self.workspace.reads  # (Core reads: the first window does not wait for the ORM)
        self.document = reads.document(document_id)
        spans = reads.spans_for(document_id, self.annotator.id)
        self.spans = {s.id: s for s in spans}
        self.label_counts = Counter(s.label_id for s in spans)
        self.status = reads.status_of(document_id, self.annotator.id)
        self.view.set_document(self.document.text, self._spans_for_view(spans))
        stack = self._stacks.get(document_id)
        if stack is None:
            stack = self._stacks[document_id] = QUndoStack(self.undo_group)
        self.undo_group.setActiveStack(stack)
        self.documentOpened.emit(document_id)

    def _spans_for_view(self, spans: Iterable[SpanInfo]) -> list[ViewSpan] | SpanRows:
        """A large document's view draws a slice: it gets the rows (``self.spans``) and makes
        ViewSpans only for the slice (ui/span_rows.py); others get every ViewSpan now."""
        if self.document is not None and len(self.document.text) > WINDOW_THRESHOLD:
            return SpanRows(self.spans, self._view_span, (0, 4, 5))
        return self._view_spans(spans)

    def _view_spans(self, spans: Iterable[SpanInfo]) -> list[ViewSpan]:
        """``_view_span`` for many (200,000 on a 20 MB document): each label looked up once."""
        shown = {i: (x.color, x.name) for i, x in self.labels.items()}
        unknown = ("#999999", "?")
        make = ViewSpan._make  # (tuple.__new__: twice as fast as calling the class)
        return [
            make((i, start, end, *shown.get(label, unknown), note))
            for i, _doc, _annotator, label, start, end, note in spans
        ]

    def _view_span(self, span: SpanInfo) -> ViewSpan:
        label = self.labels.get(span.label_id)
        if label is None:
            return ViewSpan(span.id, span.start, span.end, "#999999", "?", span.note)
        return ViewSpan(span.id, span.start, span.end, label.color, label.name, span.note)

    # ----- what the person does -------------------------------------------------------

    def apply_label(self, label_id: int) -> None:
        """A hotkey or palette click: make a span of the selection, or relabel the selected span."""
        if self.document is None:
            return
        if self.label_hook is not None and self.label_hook(label_id):
            return
        selection = self.view.selected_range()
        if selection is not None:
            self._create(label_id, *selection)
        elif self.view.selected_span_id is not None:
            self._relabel(self.view.selected_span_id, label_id)
        else:
            self.refused.emit("Select some text first (or click a span to relabel it).")

    def accept(self, label_id: int, start: int, end: int, note: str | None = None) -> SpanInfo | None:
        """Store a span with exactly these offsets (adjudication copies another annotator's span)."""
        if self.document is None:
            return None
        try:
            span = self.workspace.annotations.add(
                self.document.id, self.annotator.id, label_id, start, end, note
            )
        except AnnotatorError as exc:
            self.refused.emit(str(exc))
            return None
        self._shown_added(span)
        self._push(AddSpan(self, span, self.labels[label_id].name))
        self._tell(f"Accepted “{self.labels[label_id].name}” span into {self.annotator.name}")
        return span

    def _create(self, label_id: int, start: int, end: int) -> None:
        assert self.document is not None
        snapped = snap_selection(
            self.document.text, start, end, snap_words=self.snap_words, trim_whitespace=self.trim_whitespace
        )
        if snapped is None:
            self.refused.emit("The selection holds only whitespace; nothing to label.")
            return
        label = self.labels[label_id]
        try:
            span = self.workspace.annotations.add(self.document.id, self.annotator.id, label_id, *snapped)
        except AnnotatorError as exc:
            self.refused.emit(str(exc))
            return
        self._shown_added(span)
        self.view.clear_selection()
        self.view.select_span(span.id)
        self._push(AddSpan(self, span, label.name))
        self._tell(f"Saved “{label.name}” span: {quoted(self.document.text[span.start : span.end])}")

    def _relabel(self, span_id: int, label_id: int) -> None:
        before = self.spans.get(span_id)
        if before is None or before.label_id == label_id:
            return
        try:
            after = self.store_relabel(span_id, label_id)
        except AnnotatorError as exc:
            self.refused.emit(str(exc))
            return
        name = self.labels[label_id].name
        self._push(RelabelSpan(self, before, after, name))
        self._tell(f"Relabelled span as “{name}”")

    def delete_selected(self) -> None:
        span_id = self.view.selected_span_id
        if span_id is None or span_id not in self.spans:
            self.refused.emit("Click a span first, then press Delete.")
            return
        try:
            span = self.store_delete(span_id)
        except AnnotatorError as exc:
            self.refused.emit(str(exc))
            return
        self._push(DeleteSpan(self, span))
        self._tell("Deleted span")

    def set_note(self, span_id: int, note: str | None) -> None:
        before = self.spans.get(span_id)
        if before is None or (before.note or None) == (note or None):
            return
        try:
            after = self.store_note(span_id, note)
        except AnnotatorError as exc:
            self.refused.emit(str(exc))
            return
        self._push(EditNote(self, before, after))
        self._tell("Saved note" if after.note else "Removed note")

    def select_span(self, span_id: int | None, *, scroll: bool = True) -> None:
        self.view.select_span(span_id)
        if span_id is not None and scroll:
            self.view.scroll_to_span(span_id)

    def step_span(self, forward: bool) -> None:
        """Jump to the next (or previous) span after the selected one or the caret."""
        ordered = sorted(self.spans.values(), key=lambda s: (s.start, s.end, s.id))
        if not ordered:
            return
        current = self.spans.get(self.view.selected_span_id or -1)
        if current is not None:
            i = ordered.index(current) + (1 if forward else -1)
            target = ordered[i % len(ordered)]
        else:
            caret = self.view.mapping.to_cp_start(self.view.textCursor().position())
            after = [s for s in ordered if s.start >= caret]
            target = (after[0] if after else ordered[0]) if forward else ordered[-1]
        self.select_span(target.id)

    def set_status(self, status: str) -> None:
        if self.document is None:
            return
        try:
            self.workspace.documents.set_status(self.document.id, self.annotator.id, status)
        except AnnotatorError as exc:
            self.refused.emit(str(exc))
            return
        self.status = status
        self.message.emit(
            f"Marked {quoted(short_title(self.document.title, 50), 60)} as {status.replace('_', ' ')}"
        )
        self.statusChanged.emit(status)

    # ----- the store operations the undo commands replay --------------------------------

    def store_add(self, span: SpanInfo) -> SpanInfo:
        stored = self.workspace.annotations.add(
            span.document_id,
            span.annotator_id,
            span.label_id,
            span.start,
            span.end,
            span.note,
            span_id=span.id,
        )
        if self._is_current(stored.document_id):
            self._shown_added(stored)
        return stored

    def store_delete(self, span_id: int) -> SpanInfo:
        span = self.workspace.annotations.delete(span_id)
        if self._is_current(span.document_id):
            self.spans.pop(span_id, None)
            self.label_counts[span.label_id] -= 1
            if self.view.selected_span_id == span_id:
                self.view.select_span(None)
            self.view.remove_span(span_id)
            self.spanRemoved.emit(span)
        return span

    def store_relabel(self, span_id: int, label_id: int) -> SpanInfo:
        return self._shown_updated(self.workspace.annotations.relabel(span_id, label_id))

    def store_note(self, span_id: int, note: str | None) -> SpanInfo:
        return self._shown_updated(self.workspace.annotations.set_note(span_id, note))

    def store_status(self, document_id: int, status: str) -> None:
        self.workspace.documents.set_status(document_id, self.annotator.id, status)
        if self._is_current(document_id):
            self.status = status
            self.statusChanged.emit(status)

    def _shown_added(self, span: SpanInfo) -> None:
        self.spans[span.id] = span
        self.label_counts[span.label_id] += 1
        if self.status == "todo":
            self.status = "in_progress"  # the service moved it in the same transaction
            self.statusChanged.emit(self.status)
        self.view.add_span(self._view_span(span))
        self.spanAdded.emit(span)

    def _shown_updated(self, span: SpanInfo) -> SpanInfo:
        if self._is_current(span.document_id):
            old = self.spans.get(span.id)
            if old is not None:
                self.label_counts[old.label_id] -= 1
            self.label_counts[span.label_id] += 1
            self.spans[span.id] = span
            self.view.update_span(self._view_span(span))
            self.spanChanged.emit(span)
        return span

    def _is_current(self, document_id: int) -> bool:
        return self.document is not None and self.document.id == document_id

    def _push(self, command: AddSpan | DeleteSpan | RelabelSpan | EditNote) -> None:
        """Record an edit for undo. An edit to a finished document also puts it back in progress
        (a supervisor must see that work changed after it was finished); one Ctrl+Z undoes both."""
        stack = self.undo_group.activeStack()
        self._reopened = False
        if stack is None:
            return
        if self.status != "done" or self.document is None:
            stack.push(command)
            return
        document_id = self.document.id
        try:
            self.workspace.documents.set_status(document_id, self.annotator.id, "in_progress")
        except AnnotatorError as exc:
            stack.push(command)
            self.refused.emit(f"The change is saved, but the document is still marked done: {exc}")
            return
        stack.beginMacro(command.text())
        stack.push(command)
        stack.push(SetStatus(self, document_id, "done", "in_progress"))
        stack.endMacro()
        self._reopened = True
        self.status = "in_progress"
        self.statusChanged.emit(self.status)

    def _tell(self, text: str) -> None:
        if self._reopened:
            text += " · the document was done and is now back in progress (Ctrl+Z undoes both)"
        self.message.emit(text)

    def undo_failed(self, exc: AnnotatorError) -> None:
        self.refused.emit(f"Could not undo/redo: {exc}")
