"""File > Connect: open another database (a SQLite file or a PostgreSQL URL), recent ones remembered."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

HINT = (
    "A SQLite file for one desktop, or a PostgreSQL URL for a team, e.g.\n"
    "postgresql+psycopg://alice@server/annotations (the password comes from ~/.pgpass or PGPASSWORD)."
)


class ConnectDialog(QDialog):
    def __init__(self, recent: Sequence[str], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a database")
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.addItems([r for r in recent if r])
        self.target.setCurrentText(current)
        self.target.setMinimumWidth(520)
        browse = QPushButton("Choose file…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(HINT))
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        return self.target.currentText().strip()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Database file (an existing one, or a new name)",
            self.chosen(),
            "Annotator databases (*.db *.sqlite);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.target.setCurrentText(path)

    def _accept(self) -> None:
        if not self.chosen():
            self.error.setText("Type a file path or a database URL.")
            return
        self.accept()
