"""The Team view (supervisors; File > Team view, Ctrl+Shift+T): how far everyone is, as pictures.

Four charts (ui/team/charts.py) from aggregate queries (services/team/progress.py) open at once;
agreement on the sample, which reads the sample's texts and spans, is computed in a worker thread
and fills its chart when ready. Export: the charts as PNG or SVG, the numbers as CSV.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRectF, QSize, QThreadPool, Slot
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QGridLayout, QLabel, QMainWindow, QMessageBox, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.services.models import AnnotatorInfo
from annotator.services.team.progress import TeamProgress
from annotator.services.team.progress_csv import progress_csv
from annotator.services.team.sample_agreement import SampleAgreement
from annotator.services.workspace import Workspace
from annotator.ui.actions import make_action
from annotator.ui.team.agreement_job import AgreementJob, AgreementRelay
from annotator.ui.team.charts import AgreementTimeline, HourHeatmap, LabelShares, ProgressBars


class TeamView(QMainWindow):
    def __init__(
        self,
        workspace: Workspace,
        supervisor: AnnotatorInfo,
        parent: QWidget | None = None,
        *,
        compute_agreement_now: bool = False,
    ) -> None:
        if supervisor.role != "supervisor":
            raise AnnotatorError("only a supervisor sees the Team view (annotators work blind)")
        super().__init__(parent)
        self.setObjectName("teamView")
        self.setWindowTitle("Team — Annotator")
        self.workspace = workspace
        self.supervisor = supervisor
        self.progress: TeamProgress | None = None
        self.agreement: SampleAgreement | None = None
        self.bars, self.hours = ProgressBars(), HourHeatmap()
        self.labels, self.timeline = LabelShares(), AgreementTimeline()
        self.sample_line = QLabel()
        self.sample_line.setObjectName("sampleLine")
        self.sample_line.setWordWrap(True)
        self.charts = QWidget()
        grid = QGridLayout(self.charts)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.addWidget(self.bars, 0, 0)
        grid.addWidget(self.hours, 0, 1)
        grid.addWidget(self.labels, 1, 0)
        grid.addWidget(self.timeline, 1, 1)
        grid.addWidget(self.sample_line, 2, 0, 1, 2)
        self.setCentralWidget(self.charts)
        menu = self.menuBar().addMenu("&Team")
        make_action(self, menu, "&Refresh", self.refresh, "F5")
        make_action(self, menu, "&Assign by rule…", self.assign_by_rule)
        make_action(self, menu, "Export charts as &PNG…", lambda: self.export_dialog("png"))
        make_action(self, menu, "Export charts as &SVG…", lambda: self.export_dialog("svg"))
        make_action(self, menu, "Export numbers as &CSV…", lambda: self.export_dialog("csv"))
        make_action(self, menu, "&Close", self.close, "Ctrl+W")
        # No parent: a job still running when the window is deleted keeps its relay alive.
        self._relay = AgreementRelay()
        self._relay.done.connect(self._agreement_ready)
        self._relay.failed.connect(self._agreement_failed)
        self.resize(1240, 820)
        self.refresh(compute_agreement_now=compute_agreement_now)

    # ----- data --------------------------------------------------------------------------

    def refresh(self, *, compute_agreement_now: bool = False) -> None:
        self.progress = self.workspace.progress.team_progress()
        colours = {x.name: x.color for x in self.workspace.labels.list()}
        for chart in (self.bars, self.hours, self.labels):
            chart.progress = self.progress
        self.labels.colours = self.timeline.colours = colours
        self.timeline.labels = self.progress.labels
        if compute_agreement_now:
            self._agreement_ready(self.workspace.sample_agreement.sample_agreement())
        else:
            self.timeline.points = None
            self.sample_line.setText("Agreement on the sample: computing…")
            QThreadPool.globalInstance().start(
                AgreementJob(self.workspace.sample_agreement.sample_agreement, self._relay)
            )
        for chart in (self.bars, self.hours, self.labels, self.timeline):
            chart.update()

    @Slot(object)
    def _agreement_ready(self, agreement: SampleAgreement) -> None:
        self.agreement = agreement
        self.timeline.points = agreement.timeline
        self.timeline.update()
        alphas = ", ".join(
            f"{row['label']} {'n/a' if row['alpha'] is None else format(row['alpha'], '.2f')}"
            for row in agreement.alpha
        )
        finished = ", ".join(f"{name} {n:,}" for name, n in agreement.finished.items()) or "nobody yet"
        self.sample_line.setText(
            f"Agreement sample: {agreement.documents:,} documents. Alpha: {alphas or 'n/a'}. "
            f"Sample documents finished: {finished}."
        )

    @Slot(str)
    def _agreement_failed(self, message: str) -> None:
        self.timeline.points = []
        self.sample_line.setText(f"Agreement on the sample could not be computed: {message}")

    def assign_by_rule(self) -> None:
        from annotator.ui.team.assign_dialog import AssignDialog

        dialog = self.assign_dialog = AssignDialog(self.workspace.assignments, self.supervisor, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()  # window-modal, without a nested event loop

    # ----- export ------------------------------------------------------------------------

    def export_dialog(self, kind: str) -> None:
        filters = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)", "csv": "CSV table (*.csv)"}
        target, _ = QFileDialog.getSaveFileName(self, "Export the Team view", f"team.{kind}", filters[kind])
        if not target:
            return
        try:
            self.export(Path(target), kind)
        except OSError as exc:
            QMessageBox.warning(
                self, "Export failed", f"{target}: {exc.strerror or exc}; nothing was written"
            )

    def export(self, path: Path, kind: str) -> None:
        if kind == "csv":
            assert self.progress is not None
            path.write_text(progress_csv(self.progress, self.agreement), encoding="utf-8")
            return
        size = self.charts.size()
        if kind == "svg":
            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(size)
            generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
            generator.setTitle("Annotator: Team view")
            self._render(generator, size)
            if not path.exists():
                raise OSError(f"could not write {path}")
            return
        image = QImage(size * 2, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(2)
        image.fill(self.palette().color(QPalette.ColorRole.Window))
        self._render(image, size)
        if not image.save(str(path), "PNG"):
            raise OSError(f"could not write {path}")

    def _render(self, device: QSvgGenerator | QImage, _size: QSize) -> None:
        painter = QPainter(device)
        self.charts.render(painter, QPoint(0, 0))
        painter.end()
