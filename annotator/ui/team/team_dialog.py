"""File > Team…: the people of this database and their roles; a supervisor grants or revokes
the supervisor role. A refusal is shown in the dialog and changes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services.annotators import AnnotatorService
from annotator.services.models import AnnotatorInfo


class TeamDialog(QDialog):
    def __init__(self, service: AnnotatorService, me: AnnotatorInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team")
        self.service = service
        self.me = me
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("teamTable")
        self.table.setHorizontalHeaderLabels(["Name", "Role"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grant_button = QPushButton("Make &supervisor")
        self.revoke_button = QPushButton("Make &annotator")
        self.grant_button.clicked.connect(lambda: self._grant("supervisor"))
        self.revoke_button.clicked.connect(lambda: self._grant("annotator"))
        self.message = QLabel("")
        self.message.setObjectName("teamMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        intro = QLabel(
            "Supervisors review everyone's work; annotators see only their own spans. "
            "A newcomer signs in as an annotator; a supervisor grants the role here."
        )
        intro.setWordWrap(True)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.grant_button)
        buttons_row.addWidget(self.revoke_button)
        buttons_row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(buttons_row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refresh()

    def people(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(self.table.rowCount()):
            name, role = self.table.item(row, 0), self.table.item(row, 1)
            rows.append((name.text() if name else "", role.text() if role else ""))
        return rows

    def select(self, name: str) -> None:
        for row, (shown, _role) in enumerate(self.people()):
            if shown == name:
                self.table.selectRow(row)
                return

    def refresh(self) -> None:
        selected = self._selected()
        people = self.service.list()
        self.table.setRowCount(len(people))
        for row, person in enumerate(people):
            self.table.setItem(row, 0, QTableWidgetItem(person.name))
            self.table.setItem(row, 1, QTableWidgetItem(person.role))
            if person.name == self.me.name:
                self.me = person
        if selected:
            self.select(selected)
        self._update_buttons()

    def _selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item else None

    def _update_buttons(self) -> None:
        name = self._selected()
        role = dict(self.people()).get(name or "")
        self.grant_button.setEnabled(role == "annotator")
        self.revoke_button.setEnabled(role == "supervisor")

    def _grant(self, role: str) -> None:
        name = self._selected()
        if name is None:
            return
        try:
            info = self.service.grant(name, role, by=self.me.name)
        except AnnotatorError as exc:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(f"Refused: {exc}")
            self.refresh()
            return
        self.message.setStyleSheet("")
        self.message.setText(f"{info.name} is now {info.role}.")
        self.refresh()
