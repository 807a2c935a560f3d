"""Ctrl+F: a bar under the article that finds text (ignoring case), says which match of how many
("3 of 12"), wraps around, and keeps the match clear of the bar; Escape closes it."""

from __future__ import annotations

import re
from bisect import bisect_left

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.ui.span_text_view import SpanTextView

CLEARANCE_LINES = 3  # a match this close to the bottom edge is scrolled up to the middle


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
    def __init__(self, view: SpanTextView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.edit = FindLineEdit(self)
        self.edit.setPlaceholderText("Find in document (Enter: next, Shift+Enter: previous)")
        self.status = QLabel("")
        self.status.setMinimumWidth(90)
        previous, following, close = QToolButton(text="▲"), QToolButton(text="▼"), QToolButton(text="✕")
        previous.setToolTip("Previous match (Shift+Enter)")
        following.setToolTip("Next match (Enter)")
        close.setToolTip("Close (Escape)")
        previous.clicked.connect(lambda: self.find(backward=True))
        following.clicked.connect(lambda: self.find(backward=False))
        close.clicked.connect(self.close_bar)
        self.edit.textEdited.connect(lambda _text: self.find(incremental=True))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self._cache: tuple[str, str, list[int], list[int]] | None = None
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def land_on(self, needle: str) -> bool:
        """Show ``needle``'s first match in the document, selected and in view, with the bar open
        ("1 of 12"), keeping the focus in the article (a search across documents opened it)."""
        self.show()
        self.edit.setText(needle)
        self.view.set_selected_range(0, 0)
        return self.find(incremental=True)

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def matches(self, needle: str) -> tuple[list[int], list[int]]:
        """Starts and ends (stored offsets) of every match of ``needle``, ignoring case."""
        text = self.view.mapping.text
        if self._cache is None or self._cache[0] != needle or self._cache[1] is not text:
            starts, ends = [], []
            for m in re.finditer(re.escape(needle), text, re.IGNORECASE):
                starts.append(m.start())
                ends.append(m.end())
            self._cache = (needle, text, starts, ends)
        return self._cache[2], self._cache[3]

    def find(self, *, backward: bool = False, incremental: bool = False) -> bool:
        needle = self.edit.text()
        if not needle:
            self.status.setText("")
            return False
        starts, ends = self.matches(needle)
        if not starts:
            self.status.setText("not found")
            return False
        selection = self.view.selected_range()
        if selection is not None:
            here = selection[0] if (backward or incremental) else selection[0] + 1
        else:
            here = self.view.mapping.to_cp_start(self.view.textCursor().position())
        wrapped = False
        if backward:
            i = bisect_left(starts, here) - 1
            if i < 0:
                i, wrapped = len(starts) - 1, True
        else:
            i = bisect_left(starts, here)
            if i >= len(starts):
                i, wrapped = 0, True
        self.view.set_selected_range(starts[i], ends[i])
        self._keep_clear()
        self.status.setText(f"{i + 1:,} of {len(starts):,}" + (" · wrapped" if wrapped else ""))
        return True

    def _keep_clear(self) -> None:
        """Scroll so the match is well inside the view, not at the edge next to this bar."""
        rect = self.view.cursorRect()
        margin = self.view.fontMetrics().lineSpacing() * CLEARANCE_LINES
        if rect.top() < 0 or rect.bottom() > self.view.viewport().height() - margin:
            self.view.centerCursor()
