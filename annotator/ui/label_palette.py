"""The label palette: one button per label with its colour, hotkey, name and span count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from annotator.services.models import LabelInfo
from annotator.ui.swatches import swatch_icon


class LabelPalette(QWidget):
    labelChosen = Signal(int)  # label id
    labelHovered = Signal(int)  # label id under the mouse (the guidelines show it first)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(4)
        self._buttons: dict[int, QPushButton] = {}
        self._labels: list[LabelInfo] = []
        self._counts: dict[int, int] = {}
        self._hint = QLabel("Select text, then press a label's key.")
        self._hint.setWordWrap(True)
        # The palette's placeholder colour is made to be read on its base, light or dark.
        self._hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        small = self._hint.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self._hint.setFont(small)

    def set_labels(self, labels: Sequence[LabelInfo]) -> None:
        for button in self._buttons.values():
            button.deleteLater()
        self._buttons.clear()
        self._layout.removeWidget(self._hint)
        self._labels = list(labels)
        for label in self._labels:
            button = QPushButton(self)
            button.setIcon(swatch_icon(label.color))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the keyboard in the text
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setStyleSheet("text-align: left; padding: 4px 8px;")
            button.setToolTip(label.description or label.name)
            button.clicked.connect(lambda _=False, label_id=label.id: self.labelChosen.emit(label_id))
            button.setProperty("label_id", label.id)
            button.installEventFilter(self)
            self._buttons[label.id] = button
            self._layout.addWidget(button)
        self._layout.addWidget(self._hint)
        self._layout.addStretch(1)
        self._refresh_texts()

    def set_counts(self, counts: Mapping[int, int]) -> None:
        self._counts = dict(counts)
        self._refresh_texts()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Enter and isinstance(watched, QPushButton):
            label_id = watched.property("label_id")
            if isinstance(label_id, int):
                self.labelHovered.emit(label_id)
        return super().eventFilter(watched, event)

    def button_for(self, label_id: int) -> QPushButton:
        return self._buttons[label_id]

    def _refresh_texts(self) -> None:
        for label in self._labels:
            key = f"[{label.hotkey}]  " if label.hotkey else "      "
            self._buttons[label.id].setText(f"{key}{label.name}   ({self._counts.get(label.id, 0)})")
