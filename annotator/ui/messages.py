"""Message boxes for text that came from files or the database: always plain text (a QMessageBox
renders anything that looks like HTML, so a label named `<img src=…>` would be drawn as markup),
with control characters escaped and the length bounded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.domain.display import safe_text


def _show(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Information, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Warning, title, text)


def safe_lines(lines: list[str]) -> str:
    """Lines from untrusted sources, each escaped and bounded, one per line."""
    return "\n".join(safe_text(line) for line in lines)
