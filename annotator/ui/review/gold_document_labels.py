"""Gold's document labels as an undoable step on the gold layer's undo stack: accepting an
annotator's document labels in review is undone with Ctrl+Z and redone with Ctrl+Shift+Z, like a
gold span edit (ui/span_commands.py)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from annotator.domain.errors import AnnotatorError


class GoldLabelStore(Protocol):
    def store_gold_labels(self, document_id: int, label_ids: frozenset[int]) -> None: ...
    def undo_failed(self, exc: AnnotatorError) -> None: ...


class SetGoldDocumentLabels(QUndoCommand):
    def __init__(
        self,
        store: GoldLabelStore,
        document_id: int,
        before: frozenset[int],
        after: frozenset[int],
        text: str,
    ) -> None:
        super().__init__(text)
        self.store, self.document_id, self.before, self.after = store, document_id, before, after
        self._done_once = True  # the change was made before push()

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self._store(self.after)

    def undo(self) -> None:
        self._store(self.before)

    def _store(self, ids: frozenset[int]) -> None:
        # Qt calls undo/redo: a refusal is reported, and the history past this step dropped.
        try:
            self.store.store_gold_labels(self.document_id, ids)
        except AnnotatorError as exc:
            self.setObsolete(True)
            self.store.undo_failed(exc)
