"""Who is annotating: chosen on first start, remembered, switchable from the menu."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator.services.models import AnnotatorInfo


class AnnotatorDialog(QDialog):
    def __init__(
        self,
        known: Sequence[AnnotatorInfo],
        current: str | None,
        parent: QWidget | None = None,
        first_start: bool = False,
        newcomer_role: str = "annotator",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        self.names = QComboBox()
        self.names.setEditable(True)
        self.names.addItems([a.name for a in known])
        self.names.setCurrentText(current or "")
        self.names.lineEdit().setPlaceholderText("your name")
        # The role is shown, never chosen: it is granted by a supervisor (File > Team).
        self._roles = {a.name: a.role for a in known}
        self._newcomer_role = newcomer_role
        self.role = QLabel()
        self.role.setObjectName("annotatorRole")
        self.role.setWordWrap(True)
        self.names.currentTextChanged.connect(self._show_role)
        self._show_role(self.names.currentText())
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        intro = QLabel(
            "Your spans are saved under this name. While annotating you see only your own spans."
            + ("<br>Quit closes Annotator without opening the database." if first_start else "")
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Annotator:", self.names)
        form.addRow("Role:", self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        if first_start:  # cancelling here closes the program: the button says so
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Quit")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen_name(self) -> str:
        return " ".join(self.names.currentText().split())

    def shown_role(self) -> str:
        return self.role.text()

    def _show_role(self, name: str) -> None:
        name = " ".join(name.split())
        role = self._roles.get(name)
        if role is not None:
            text = f"{role} (granted by a supervisor)" if role == "supervisor" else role
        elif self._newcomer_role == "supervisor":
            text = "supervisor (the first person on this database supervises it)"
        else:
            text = "annotator (a supervisor may grant you more)"
        self.role.setText(text)

    def _accept(self) -> None:
        if not self.chosen_name():
            self.error.setText("Please type a name.")
            return
        self.accept()
