"""The document comment dialog: a wrapping text box for a question to the supervisor. A comment
runs over lines, so Enter starts a new line; Ctrl+Enter saves and Escape cancels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class CommentEdit(QPlainTextEdit):
    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._dialog.accept()
            return
        super().keyPressEvent(event)


class CommentDialog(QDialog):
    def __init__(self, title: str, comment: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Document comment")
        self.edit = CommentEdit(self)
        self.edit.setPlainText(comment)
        self.edit.setPlaceholderText("A question for the supervisor about this document…")
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        heading = QLabel(f"Your comment on {title} (supervisors see it in review)")
        heading.setWordWrap(True)
        hint = QLabel("Ctrl+Enter saves · Enter: new line · Esc cancels · empty removes the comment")
        hint.setEnabled(False)
        buttons = self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.edit, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(480, 240)

    def comment(self) -> str:
        return self.edit.toPlainText().strip()
