"""The label editor: add, rename, recolour, hotkey, guideline, reorder, archive; and a label's
kind: a span label (on selected text) or a document label (for the whole document), the latter in
a set that is single- or multiple-choice. Each saved guideline change is kept as a version.

Each change is saved when applied; a refusal (duplicate name or hotkey) is shown in the dialog
and changes nothing. Renaming keeps every existing span (spans refer to the label, not its name).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services.labels import LabelService
from annotator.services.models import LabelInfo
from annotator.ui.swatches import swatch_icon


class LabelEditor(QDialog):
    def __init__(
        self, labels: LabelService, parent: QWidget | None = None, *, author: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels")
        self.service = labels
        self.author = author  # who changes the guidelines (kept with each version)
        self.kind = QComboBox()
        self.kind.addItem("Span label (on selected text)", "span")
        self.kind.addItem("Document label (the whole document)", "document")
        self.label_set = QLineEdit()
        self.label_set.setPlaceholderText("e.g. overall framing (document labels only)")
        self.choice = QComboBox()
        self.choice.addItem("One label of the set per document", False)
        self.choice.addItem("Several labels of the set per document", True)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.list = QListWidget()
        self.name = QLineEdit()
        self.color_button = QPushButton()
        self.color = "#4e79a7"
        self.hotkey = QLineEdit(maxLength=1)
        self.hotkey.setPlaceholderText("0-9 or a-z")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(
            "Guideline in Markdown: definition, examples, edge cases (shown in the Guidelines panel, Ctrl+G)"
        )
        self.message = QLabel("")
        self.message.setWordWrap(True)
        apply_button = QPushButton("Apply changes")
        add_button, up, down = QPushButton("Add label"), QPushButton("Move up"), QPushButton("Move down")
        self.archive_button = QPushButton("Archive")
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Colour:", self.color_button)
        form.addRow("Kind:", self.kind)
        form.addRow("Hotkey:", self.hotkey)
        form.addRow("Label set:", self.label_set)
        form.addRow("Choice:", self.choice)
        form.addRow("Guideline:", self.description)
        form.addRow("", apply_button)
        side = QVBoxLayout()
        side.addWidget(self.list, 1)
        row = QHBoxLayout()
        for button in (add_button, up, down, self.archive_button):
            row.addWidget(button)
        side.addLayout(row)
        body = QHBoxLayout()
        body.addLayout(side, 1)
        body.addLayout(form, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.list.currentRowChanged.connect(self._show_current)
        self.color_button.clicked.connect(self._pick_color)
        apply_button.clicked.connect(self.apply)
        add_button.clicked.connect(self.add)
        up.clicked.connect(lambda: self.move(-1))
        down.clicked.connect(lambda: self.move(1))
        self.archive_button.clicked.connect(self.toggle_archived)
        self.resize(760, 420)
        self.reload()

    def labels(self) -> list[LabelInfo]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def current(self) -> LabelInfo | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def reload(self, select_id: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for label in self.service.list(include_archived=True):
            suffix = "  (archived)" if label.archived else ""
            if label.is_document_label:
                suffix = f"  · document, {label.label_set or 'labels'}{suffix}"
            key = f"[{label.hotkey}] " if label.hotkey else ""
            item = QListWidgetItem(swatch_icon(label.color), f"{key}{label.name}{suffix}")
            item.setData(Qt.ItemDataRole.UserRole, label)
            item.setToolTip(label.description)
            self.list.addItem(item)
            if label.id == select_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._show_current()

    def _show_current(self) -> None:
        label = self.current()
        if label is None:
            return
        self.name.setText(label.name)
        self._set_color(label.color)
        self.hotkey.setText(label.hotkey or "")
        self.kind.setCurrentIndex(1 if label.is_document_label else 0)
        self.label_set.setText(label.label_set)
        self.choice.setCurrentIndex(1 if label.multiple else 0)
        self._kind_changed()
        self.description.setPlainText(label.description)
        self.archive_button.setText("Restore" if label.archived else "Archive")

    def _kind_changed(self) -> None:
        document = self.kind.currentData() == "document"
        self.hotkey.setEnabled(not document)
        self.hotkey.setToolTip("Document labels are set with Ctrl+Alt+1..9 by position" if document else "")
        self.label_set.setEnabled(document)
        self.choice.setEnabled(document)

    def _set_color(self, color: str) -> None:
        self.color = color
        self.color_button.setIcon(swatch_icon(color, 18))
        self.color_button.setText(color)

    def _pick_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color), self, "Label colour")
        if chosen.isValid():
            self._set_color(chosen.name())

    def _run(self, action, done: str) -> LabelInfo | None:
        try:
            result = action()
        except AnnotatorError as exc:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(f"Not saved: {exc}")
            return None
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(done)
        return result

    def apply(self) -> None:
        label = self.current()
        if label is None:
            return
        updated = self._run(
            lambda: self.service.update(
                label.id,
                name=self.name.text(),
                color=self.color,
                hotkey=(self.hotkey.text() or None) if self.kind.currentData() == "span" else None,
                description=self.description.toPlainText(),
                kind=self.kind.currentData(),
                label_set=self.label_set.text() if self.kind.currentData() == "document" else "",
                multiple=bool(self.choice.currentData()),
                author=self.author,
            ),
            "Saved.",
        )
        if updated is not None:
            self.reload(updated.id)

    def add(self) -> None:
        existing = {x.name for x in self.labels()}
        name = next(f"new label {n}" for n in range(1, 1000) if f"new label {n}" not in existing)
        created = self._run(
            lambda: self.service.create(name), f"Added '{name}': rename it and give it a hotkey."
        )
        if created is not None:
            self.reload(created.id)
            self.name.setFocus()
            self.name.selectAll()

    def move(self, step: int) -> None:
        labels = self.labels()
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(labels):
            return
        labels[row], labels[target] = labels[target], labels[row]
        self._run(lambda: self.service.reorder([x.id for x in labels]), "Order saved.")
        self.reload(labels[target].id)

    def toggle_archived(self) -> None:
        label = self.current()
        if label is None:
            return
        state = "archived (its spans stay; it leaves the palette)" if not label.archived else "restored"
        changed = self._run(
            lambda: self.service.set_archived(label.id, not label.archived), f"'{label.name}' {state}."
        )
        if changed is not None:
            self.reload(changed.id)
