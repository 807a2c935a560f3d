"""A small dialog around a wrapping text box, for a span's note and a document's comment.

``enter_saves``: a note is a line or two, so Enter (or Ctrl+Enter) saves and Shift+Enter starts a
new line; a comment runs over lines, so Enter starts a new line and Ctrl+Enter saves. Escape
cancels either."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class _TextEdit(QPlainTextEdit):
    def __init__(self, dialog: QDialog, enter_saves: bool) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self._enter_saves = enter_saves
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            modifiers = event.modifiers()
            if modifiers & Qt.KeyboardModifier.ControlModifier:
                self._dialog.accept()
                return
            if self._enter_saves:
                if modifiers & Qt.KeyboardModifier.ShiftModifier:
                    self.insertPlainText("\n")
                else:
                    self._dialog.accept()
                return
        super().keyPressEvent(event)


class TextDialog(QDialog):
    def __init__(
        self,
        *,
        title: str,
        heading: str,
        text: str,
        placeholder: str,
        hint: str,
        enter_saves: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edit = _TextEdit(self, enter_saves)
        self.edit.setPlainText(text)
        self.edit.setPlaceholderText(placeholder)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        head = QLabel(heading)
        head.setWordWrap(True)
        keys = QLabel(hint)
        keys.setEnabled(False)
        buttons = self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.edit, 1)
        layout.addWidget(keys)
        layout.addWidget(buttons)
        self.resize(470, 230)

    def text(self) -> str:
        return self.edit.toPlainText().strip()
