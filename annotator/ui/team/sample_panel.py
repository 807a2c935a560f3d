"""The review window's view of agreement by design: alpha per label on the agreement sample, and
how many of the sample's documents each annotator has finished (services/team/sample_agreement.py,
the same computation as the review's figures on the same documents).

The figures are computed off the GUI thread (tens of seconds on a large sample) and kept by the
service while nothing they depend on changes, so a refresh with no new work is as good as
instant. Meanwhile the panel says it is computing and the window stays responsive. As in
ui/background.py, the job never touches a widget: it reports through a relay, a QObject made in
the GUI thread, whose signals reach the panel's slots queued."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, Slot
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QVBoxLayout, QWidget

from annotator.services.team.sample_agreement import SampleAgreement, SampleAgreementService
from annotator.ui.agreement_panel import _item, fmt, heat
from annotator.ui.team.agreement_job import AgreementJob, AgreementRelay

COMPUTING = "Computing agreement on the sample…"
UPDATING = "Checking the sample for new work…"


class SamplePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplePanel")
        self.result: SampleAgreement | None = None
        self.busy = False  # a job is running
        self._again: SampleAgreementService | None = None  # refresh asked for while busy
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("sampleState")
        self.state.hide()
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Label", "Alpha on the sample", "Units"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.state)
        layout.addWidget(self.table)
        # No parent: a job still running when the panel is deleted keeps its relay alive.
        self._relay = AgreementRelay()
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)

    def refresh(self, service: SampleAgreementService) -> None:
        """Figures as the database is now, from a pool thread (the kept ones when unchanged)."""
        if self.busy:
            self._again = service  # once the running job reports, ask again
            return
        self.busy = True
        if self.result is None:
            self.summary.setText(COMPUTING)
        else:  # the figures shown stay until the new ones are there
            self.state.setText(UPDATING)
            self.state.show()
        QThreadPool.globalInstance().start(
            AgreementJob(lambda: service.sample_agreement(timeline=False), self._relay)
        )

    @Slot(object)
    def _done(self, result: SampleAgreement) -> None:
        self._finished()
        self.show_result(result)
        self._follow_up()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._finished()
        self.summary.setText(f"Agreement on the sample could not be computed: {message}")
        self._follow_up()

    def _finished(self) -> None:
        self.busy = False
        self.state.hide()

    def _follow_up(self) -> None:
        service, self._again = self._again, None
        if service is not None:
            self.refresh(service)

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
