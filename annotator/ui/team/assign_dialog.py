"""Team > Assign by rule… (supervisors): the same plan as `annotator assign`, previewed first.

The preview is a dry run (nothing stored); Assign stores the plan shown. Work already done stays
with who did it, as on the command line.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services.models import AnnotatorInfo
from annotator.services.team.assignments import AssignmentService, PlanSummary


class AssignDialog(QDialog):
    def __init__(self, service: AssignmentService, me: AnnotatorInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign documents by rule")
        self.service = service
        self.me = me
        self.stored: PlanSummary | None = None
        self.rule = QComboBox()
        self.rule.addItem("Every document to N annotators", "n")
        self.rule.addItem("K% to everyone (agreement sample), the rest to N each", "sample")
        self.n = QSpinBox(minimum=1, maximum=100, value=1)
        self.sample = QDoubleSpinBox(minimum=0.0, maximum=100.0, value=10.0, suffix=" %")
        self.seed = QSpinBox(minimum=0, maximum=2_000_000_000, value=0)
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setObjectName("assignPreview")
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        form = QFormLayout()
        form.addRow("Rule", self.rule)
        form.addRow("Annotators per document (N)", self.n)
        form.addRow("Agreement sample (K)", self.sample)
        form.addRow("Seed", self.seed)
        self.preview_button = QPushButton("&Preview")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.assign_button = buttons.addButton("&Assign", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.preview_button.clicked.connect(lambda: self._plan(dry_run=True))
        self.assign_button.clicked.connect(lambda: self._plan(dry_run=False))
        buttons.rejected.connect(self.reject)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self._rule_changed()
        self.resize(640, 420)

    def _rule_changed(self) -> None:
        self.sample.setEnabled(self.rule.currentData() == "sample")

    def _plan(self, *, dry_run: bool) -> None:
        try:
            summary = self.service.assign_by_rule(
                by=self.me.name,
                n=self.n.value(),
                sample_percent=self.sample.value() if self.rule.currentData() == "sample" else 0.0,
                seed=self.seed.value(),
                dry_run=dry_run,
            )
        except AnnotatorError as exc:  # refused or impossible: said here, nothing stored
            self.preview.setPlainText(str(exc))
            return
        self.preview.setPlainText("\n".join(summary.lines()))
        if not dry_run:
            self.stored = summary
            self.accept()
