"""Setting one person's document labels as an undoable step: the annotator's own at the desk
(ui/desk/document_data_commands.py) and gold's in review (ui/review/document_data_panel.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.domain.errors import AnnotatorError


class SetDocumentLabels(QUndoCommand):
    """``store(document_id, label_ids)`` stores and shows them; ``failed(exc)`` reports a refusal."""

    def __init__(
        self,
        store: Callable[[int, frozenset[int]], None],
        failed: Callable[[AnnotatorError], None],
        document_id: int,
        before: frozenset[int],
        after: frozenset[int],
        text: str,
    ) -> None:
        super().__init__(text)
        self.store, self.failed = store, failed
        self.document_id, self.before, self.after = document_id, before, after
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
            self.store(self.document_id, ids)
        except AnnotatorError as exc:
            self.setObsolete(True)
            self.failed(exc)
