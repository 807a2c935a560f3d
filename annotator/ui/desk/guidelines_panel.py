"""The guidelines panel: every label's definition (written in the label editor, Markdown), the
label in focus (hovered in the palette, or the selected span's) first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QTextBrowser, QWidget

from annotator.services.models import LabelInfo


def guidelines_markdown(labels: Sequence[LabelInfo], first: int | None = None) -> str:
    ordered = sorted(labels, key=lambda x: (x.id != first, x.position, x.id))
    parts = []
    for label in ordered:
        key = f" · key {label.hotkey}" if label.hotkey else ""
        body = label.description.strip() or "_No guideline written yet (File > Labels…)._"
        parts.append(f"### {label.name}{key}\n\n{body}\n")
    if not parts:
        return "_No labels yet._"
    return "\n".join(parts)


class GuidelinesPanel(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.setPlaceholderText("Label definitions appear here.")
        self._labels: list[LabelInfo] = []
        self.focused: int | None = None

    def set_labels(self, labels: Sequence[LabelInfo]) -> None:
        self._labels = list(labels)
        self._render()

    def focus_label(self, label_id: int | None) -> None:
        """Put this label's entry first (None keeps the palette order)."""
        if label_id == self.focused:
            return
        self.focused = label_id
        self._render()

    def _render(self) -> None:
        self.document().setMarkdown(guidelines_markdown(self._labels, self.focused))
        self.verticalScrollBar().setValue(0)
