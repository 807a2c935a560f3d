"""Ctrl+F: a bar under the article that finds text, wrapping around; Escape closes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QToolButton, QWidget


class FindLineEdit(QLineEdit):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.parent()
        assert isinstance(bar, FindBar)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            bar.find(backward=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        elif event.key() == Qt.Key.Key_Escape:
            bar.close_bar()
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(self, view: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.edit = FindLineEdit(self)
        self.edit.setPlaceholderText("Find in document (Enter: next, Shift+Enter: previous)")
        self.status = QLabel("")
        previous, following, close = QToolButton(text="▲"), QToolButton(text="▼"), QToolButton(text="✕")
        previous.setToolTip("Previous match (Shift+Enter)")
        following.setToolTip("Next match (Enter)")
        close.setToolTip("Close (Escape)")
        previous.clicked.connect(lambda: self.find(backward=True))
        following.clicked.connect(lambda: self.find(backward=False))
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def find(self, *, backward: bool = False) -> bool:
        needle = self.edit.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.view.find(needle, flags):
            self.status.setText("")
            return True
        # wrap around once
        cursor = self.view.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        self.view.setTextCursor(cursor)
        found = self.view.find(needle, flags)
        self.status.setText("wrapped" if found else "not found")
        return found
