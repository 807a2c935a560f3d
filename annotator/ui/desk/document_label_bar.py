"""The row of document labels above the text: one checkable button per label, grouped by set
(single-choice sets as exclusive choices), Ctrl+Alt+1..9 by position."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

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
    """The buttons scroll sideways when the window is too narrow for them: the bar never widens
    the text column (a small window must keep its layout, ui/desk/window_layout.py)."""

    labelToggled = Signal(int)  # label id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentLabelBar")
        self.buttons: dict[int, QToolButton] = {}
        self._inner = QWidget()
        self._layout = QHBoxLayout(self._inner)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self._layout.setSpacing(4)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self._inner)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text keeps the focus (label keys)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.setMinimumWidth(0)
        self.setVisible(False)

    def minimumSizeHint(self):  # type: ignore[no-untyped-def]
        hint = super().minimumSizeHint()
        hint.setWidth(0)
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        for button in self.buttons.values():
            button.ensurePolished()  # (its style sheet's padding counts in its height)
        self._layout.invalidate()
        needs_scroll = self._layout.minimumSize().width() > self.width()
        bar = self.scroll.horizontalScrollBar().sizeHint().height() if needs_scroll else 0
        self.setFixedHeight(self._layout.sizeHint().height() + 2 + bar)

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
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        self._fit_height()

    def set_checked(self, label_ids: frozenset[int]) -> None:
        for label_id, button in self.buttons.items():
            button.setChecked(label_id in label_ids)

    def checked(self) -> frozenset[int]:
        return frozenset(i for i, b in self.buttons.items() if b.isChecked())
