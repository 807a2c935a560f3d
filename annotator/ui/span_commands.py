"""Undoable span edits. Each command performs its change through the services (one transaction)
and then tells the desk to redraw; the first redo is skipped because the change is made, and its
failure reported, before the command is pushed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from annotator.domain.errors import AnnotatorError
from annotator.services.models import SpanInfo


class SpanStore(Protocol):
    """What the commands need from the desk: store a change, then show it."""

    def store_add(self, span: SpanInfo) -> SpanInfo: ...
    def store_delete(self, span_id: int) -> SpanInfo: ...
    def store_relabel(self, span_id: int, label_id: int) -> SpanInfo: ...
    def store_note(self, span_id: int, note: str | None) -> SpanInfo: ...
    def store_status(self, document_id: int, status: str) -> None: ...
    def undo_failed(self, exc: AnnotatorError) -> None: ...


class _SpanCommand(QUndoCommand):
    def __init__(self, desk: SpanStore, text: str) -> None:
        super().__init__(text)
        self.desk = desk
        self._done_once = True  # the change was made before push()

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self._guarded(self.apply)

    def undo(self) -> None:
        self._guarded(self.revert)

    def _guarded(self, action: Callable[[], None]) -> None:
        # Qt calls undo/redo; an exception must not escape into it. A step that cannot be
        # replayed (the database refused) is reported and the history past it dropped.
        try:
            action()
        except AnnotatorError as exc:
            self.setObsolete(True)
            self.desk.undo_failed(exc)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AddSpan(_SpanCommand):
    def __init__(self, desk: SpanStore, span: SpanInfo, label_name: str) -> None:
        super().__init__(desk, f"add '{label_name}' span")
        self.span = span

    def apply(self) -> None:
        self.span = self.desk.store_add(self.span)

    def revert(self) -> None:
        self.desk.store_delete(self.span.id)


class DeleteSpan(_SpanCommand):
    def __init__(self, desk: SpanStore, span: SpanInfo) -> None:
        super().__init__(desk, "delete span")
        self.span = span

    def apply(self) -> None:
        self.desk.store_delete(self.span.id)

    def revert(self) -> None:
        self.span = self.desk.store_add(self.span)


class RelabelSpan(_SpanCommand):
    def __init__(self, desk: SpanStore, before: SpanInfo, after: SpanInfo, label_name: str) -> None:
        super().__init__(desk, f"relabel span as '{label_name}'")
        self.before, self.after = before, after

    def apply(self) -> None:
        self.desk.store_relabel(self.after.id, self.after.label_id)

    def revert(self) -> None:
        self.desk.store_relabel(self.before.id, self.before.label_id)


class EditNote(_SpanCommand):
    def __init__(self, desk: SpanStore, before: SpanInfo, after: SpanInfo) -> None:
        super().__init__(desk, "edit note")
        self.before, self.after = before, after

    def apply(self) -> None:
        self.desk.store_note(self.after.id, self.after.note)

    def revert(self) -> None:
        self.desk.store_note(self.before.id, self.before.note)


class SetStatus(_SpanCommand):
    """A document's status changed as part of an edit (a finished document reopened)."""

    def __init__(self, desk: SpanStore, document_id: int, before: str, after: str) -> None:
        super().__init__(desk, f"mark {after.replace('_', ' ')}")
        self.document_id, self.before, self.after = document_id, before, after

    def apply(self) -> None:
        self.desk.store_status(self.document_id, self.after)

    def revert(self) -> None:
        self.desk.store_status(self.document_id, self.before)
