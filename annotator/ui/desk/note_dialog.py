"""The note dialog: Enter (or Ctrl+Enter) saves, Shift+Enter starts a new line, Escape cancels."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from annotator.ui.desk.text_dialog import TextDialog


class NoteDialog(TextDialog):
    def __init__(self, excerpt: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(
            title="Note",
            heading=f"Note for {excerpt}",
            text=note,
            placeholder="Why this label, doubts, questions for the supervisor…",
            hint="Enter saves · Shift+Enter: new line · Esc cancels",
            enter_saves=True,
            parent=parent,
        )

    def note(self) -> str:
        return self.text()
