"""The note dialog: a wrapping text box where Enter (or Ctrl+Enter) saves, Shift+Enter starts a
new line and Escape cancels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class NoteEdit(QPlainTextEdit):
    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self._dialog.accept()  # Enter and Ctrl+Enter both save
            return
        super().keyPressEvent(event)


class NoteDialog(QDialog):
    def __init__(self, excerpt: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note")
        self.edit = NoteEdit(self)
        self.edit.setPlainText(note)
        self.edit.setPlaceholderText("Why this label, doubts, questions for the supervisor…")
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        heading = QLabel(f"Note for {excerpt}")
        heading.setWordWrap(True)
        hint = QLabel("Enter saves · Shift+Enter: new line · Esc cancels")
        hint.setForegroundRole(heading.foregroundRole())
        hint.setEnabled(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.edit, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(460, 220)

    def note(self) -> str:
        return self.edit.toPlainText().strip()
