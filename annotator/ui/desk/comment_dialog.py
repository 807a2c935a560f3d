"""The document comment dialog: a question for the supervisor. A comment runs over lines, so Enter
starts a new line; Ctrl+Enter saves and Escape cancels."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from annotator.ui.desk.text_dialog import TextDialog


class CommentDialog(TextDialog):
    def __init__(self, title: str, comment: str, parent: QWidget | None = None) -> None:
        super().__init__(
            title="Document comment",
            heading=f"Your comment on {title} (supervisors see it in review)",
            text=comment,
            placeholder="A question for the supervisor about this document…",
            hint="Ctrl+Enter saves · Enter: new line · Esc cancels · empty removes the comment",
            enter_saves=False,
            parent=parent,
        )

    def comment(self) -> str:
        return self.text()
