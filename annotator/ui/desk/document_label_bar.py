"""The row of document labels above the text: one checkable button per label, grouped by set
(single-choice sets as exclusive choices), Ctrl+Alt+1..9 by position."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from annotator.services.models import LabelInfo


def text_color_for(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (#rrggbb)."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def document_labels_in_order(labels: list[LabelInfo]) -> list[LabelInfo]:
    """Active document labels, grouped by set in the order the sets first appear, then by position:
    the order of the buttons and of Ctrl+Alt+1..9."""
    active = sorted(
        (x for x in labels if x.is_document_label and not x.archived), key=lambda x: (x.position, x.id)
    )
    sets = list(dict.fromkeys(x.label_set for x in active))
    return sorted(active, key=lambda x: sets.index(x.label_set))


def key_of(position: int) -> str:
    return f"Ctrl+Alt+{position + 1}" if position < 9 else ""


class DocumentLabelBar(QWidget):
    labelToggled = Signal(int)  # label id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentLabelBar")
        self.buttons: dict[int, QToolButton] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self._layout.setSpacing(4)
        self.setVisible(False)

    def set_labels(self, labels: list[LabelInfo]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        ordered = document_labels_in_order(labels)
        self._layout.addWidget(QLabel("<b>Document:</b>"))
        current_set: str | None = None
        for n, label in enumerate(ordered):
            if label.label_set != current_set:
                current_set = label.label_set
                mode = "several" if label.multiple else "one"
                heading = QLabel(f"  {current_set or 'labels'}:")
                heading.setToolTip(f"Choose {mode} of these for the whole document")
                self._layout.addWidget(heading)
            button = QToolButton()
            button.setCheckable(True)
            key = key_of(n)
            button.setText(label.name)
            button.setToolTip(
                f"{label.name} ({key})" + (f"\n{label.description}" if label.description else "")
            )
            button.setStyleSheet(
                "QToolButton { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }"
                f"QToolButton:checked {{ background: {label.color}; color: {text_color_for(label.color)};"
                f" border-color: {label.color}; }}"
            )
            button.clicked.connect(lambda _=False, i=label.id: self.labelToggled.emit(i))
            self._layout.addWidget(button)
            self.buttons[label.id] = button
        self._layout.addStretch(1)
        self.setVisible(bool(ordered))

    def set_checked(self, label_ids: frozenset[int]) -> None:
        for label_id, button in self.buttons.items():
            button.setChecked(label_id in label_ids)

    def checked(self) -> frozenset[int]:
        return frozenset(i for i, b in self.buttons.items() if b.isChecked())
