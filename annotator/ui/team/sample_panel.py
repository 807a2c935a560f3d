"""The review window's view of agreement by design: alpha per label on the agreement sample, and
how many of the sample's documents each annotator has finished (services/team/sample_agreement.py,
the same computation as the review's figures on the same documents)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QVBoxLayout, QWidget

from annotator.services.team.sample_agreement import SampleAgreement
from annotator.ui.agreement_panel import _item, fmt, heat


class SamplePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplePanel")
        self.result: SampleAgreement | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Label", "Alpha on the sample", "Units"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def show_result(self, result: SampleAgreement) -> None:
        self.result = result
        if not result.documents:
            self.summary.setText(
                "No agreement sample yet: assign with a sample (annotator assign --rule sample "
                "--sample-percent K), and these figures follow its documents."
            )
            self.table.setRowCount(0)
            return
        finished = ", ".join(f"{name} {n:,}/{result.documents:,}" for name, n in result.finished.items())
        self.summary.setText(
            f"Sample of {result.documents:,} documents, each assigned to everyone. "
            f"Finished: {finished or 'none yet'}."
        )
        self.table.setRowCount(len(result.alpha))
        for r, row in enumerate(result.alpha):
            self.table.setItem(r, 0, _item(row["label"]))
            self.table.setItem(r, 1, _item(fmt(row["alpha"]), row.get("reason", ""), heat(row["alpha"])))
            self.table.setItem(r, 2, _item(f"{row['units']:,}"))
