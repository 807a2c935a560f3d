"""The Team view's four charts, drawn with QPainter (no plotting library: four simple charts do
not earn a dependency, and QPainter draws the same to the screen, a PNG and an SVG).

Colours come from the window's palette (text, grid) and the labels' own colours, so the charts
read in the light and the dark theme alike; status colours are the document list's.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from annotator.services.team.progress import TeamProgress
from annotator.services.team.sample_agreement import AgreementPoint
from annotator.ui.desk.theme import is_dark

STATUS_LIGHT = {"done": "#2e7d32", "in_progress": "#d08c00", "not_started": "#c9c9c9"}
STATUS_DARK = {"done": "#7bd17f", "in_progress": "#f0b44c", "not_started": "#55585e"}
HEAT_LIGHT, HEAT_DARK = "#1f5fa8", "#7fb0ff"
WARNING_LIGHT, WARNING_DARK = "#c62828", "#ff8a80"
NAME_WIDTH = 120


class Chart(QWidget):
    """A titled chart; subclasses draw their body in ``draw(painter, rect)``."""

    title = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 220)

    def sizeHint(self) -> QSize:
        return QSize(560, 340)

    def ink(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def faint(self) -> QColor:
        """Grid lines and secondary text: the ink, half transparent (readable on either ground)."""
        colour = QColor(self.ink())
        colour.setAlphaF(0.55)
        return colour

    def warning(self) -> QColor:
        return QColor(WARNING_DARK if is_dark(self.palette()) else WARNING_LIGHT)

    def status_colours(self) -> dict[str, QColor]:
        table = STATUS_DARK if is_dark(self.palette()) else STATUS_LIGHT
        return {k: QColor(v) for k, v in table.items()}

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        painter.setPen(self.ink())
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        self.draw(painter, QRectF(8, 28, self.width() - 16, self.height() - 36))
        painter.end()

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def empty(self, painter: QPainter, rect: QRectF, text: str) -> None:
        painter.setPen(self.faint())
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def _name(painter: QPainter, rect: QRectF, name: str) -> None:
    elided = painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, NAME_WIDTH - 6)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)


class ProgressBars(Chart):
    """Per annotator: their assigned documents, done / in progress / not started."""

    title = "Assigned documents: done · in progress · not started"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress: TeamProgress | None = None

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        people = [p for p in (self.progress.people if self.progress else []) if p.assigned or p.done_total]
        if not people:
            self.empty(painter, rect, "Nothing assigned yet (annotator assign, or assign by rule here)")
            return
        colours = self.status_colours()
        top = max(max(p.assigned for p in people), 1)
        row = min(34.0, rect.height() / len(people))
        bar_left, bar_width = rect.left() + NAME_WIDTH, rect.width() - NAME_WIDTH - 90
        for i, p in enumerate(people):
            y = rect.top() + i * row
            painter.setPen(self.ink())
            _name(painter, QRectF(rect.left(), y, NAME_WIDTH, row), p.name)
            x = bar_left
            for key, value in (
                ("done", p.done),
                ("in_progress", p.in_progress),
                ("not_started", p.not_started),
            ):
                width = bar_width * value / top
                painter.fillRect(QRectF(x, y + row * 0.2, width, row * 0.6), colours[key])
                x += width
            painter.setPen(self.ink())
            painter.drawText(
                QRectF(bar_left + bar_width + 6, y, 84, row),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                f"{p.done:,}/{p.assigned:,}",
            )


class HourHeatmap(Chart):
    """Spans per hour over the last days: one row per annotator, darker = more."""

    title = "Spans per hour, last days (UTC)"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress: TeamProgress | None = None

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        progress = self.progress
        if progress is None or not progress.people:
            self.empty(painter, rect, "No spans yet")
            return
        names = [p.name for p in progress.people]
        hours = progress.hours
        peak = max((max(line, default=0) for line in progress.spans_per_hour.values()), default=0)
        row = min(30.0, (rect.height() - 36) / len(names))
        left, width = rect.left() + NAME_WIDTH, rect.width() - NAME_WIDTH
        cell = width / max(len(hours), 1)
        heat = QColor(HEAT_DARK if is_dark(self.palette()) else HEAT_LIGHT)
        for i, name in enumerate(names):
            y = rect.top() + i * row
            painter.setPen(self.ink())
            _name(painter, QRectF(rect.left(), y, NAME_WIDTH, row), name)
            for h, n in enumerate(progress.spans_per_hour.get(name, [])):
                if n:
                    colour = QColor(heat)
                    colour.setAlphaF(0.15 + 0.85 * n / peak)
                    painter.fillRect(QRectF(left + h * cell, y + 1, max(cell, 1.0), row - 2), colour)
        painter.setPen(QPen(self.faint(), 1))
        bottom = rect.top() + len(names) * row
        for h, hour in enumerate(hours):
            if hour.endswith(" 00:00"):
                x = left + h * cell
                painter.drawLine(QPointF(x, rect.top()), QPointF(x, bottom))
                painter.drawText(QRectF(x + 2, bottom + 2, 60, 16), Qt.AlignmentFlag.AlignLeft, hour[5:10])
        painter.drawText(
            QRectF(left, bottom + 18, width, 16), Qt.AlignmentFlag.AlignRight, f"darkest: {peak:,} spans/hour"
        )


class LabelShares(Chart):
    """Each annotator's spans by label (share of their spans); labels they never use are named."""

    title = "Labels per annotator (share of their spans)"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress: TeamProgress | None = None
        self.colours: dict[str, str] = {}

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        progress = self.progress
        people = [p for p in (progress.people if progress else []) if p.spans]
        if progress is None or not people:
            self.empty(painter, rect, "No spans yet")
            return
        row = min(34.0, (rect.height() - 20) / len(people))
        left, width = rect.left() + NAME_WIDTH, rect.width() - NAME_WIDTH - 150
        for i, p in enumerate(people):
            y = rect.top() + i * row
            painter.setPen(self.ink())
            _name(painter, QRectF(rect.left(), y, NAME_WIDTH, row), p.name)
            counts = progress.label_counts[p.name]
            x = left
            for label, n in zip(progress.labels, counts, strict=True):
                w = width * n / p.spans
                painter.fillRect(
                    QRectF(x, y + row * 0.2, w, row * 0.6), QColor(self.colours.get(label, "#888888"))
                )
                x += w
            never = [label for label, n in zip(progress.labels, counts, strict=True) if n == 0]
            if never:
                painter.setPen(self.warning())
                painter.drawText(
                    QRectF(left + width + 6, y, 144, row),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    painter.fontMetrics().elidedText(
                        f"never: {', '.join(never)}", Qt.TextElideMode.ElideRight, 144
                    ),
                )
        painter.setPen(self.ink())
        _legend(
            painter,
            QRectF(left, rect.top() + len(people) * row + 2, rect.width(), 16),
            progress.labels,
            self.colours,
        )


class AgreementTimeline(Chart):
    """Alpha per label on the agreement sample, one point per day's batch of finished documents."""

    title = "Agreement on the sample: alpha per label, by day finished"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[AgreementPoint] | None = None
        self.labels: list[str] = []
        self.colours: dict[str, str] = {}

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        if self.points is None:
            self.empty(painter, rect, "Computing agreement on the sample…")
            return
        if not self.points:
            self.empty(painter, rect, "No sample document finished by two annotators yet")
            return
        values = [v for p in self.points for v in p.alpha.values() if v is not None]
        low = min([0.0, *values])
        plot = QRectF(rect.left() + 36, rect.top() + 4, rect.width() - 44, rect.height() - 44)
        painter.setPen(QPen(self.faint(), 1))
        for tick in (low, 0.0, 0.4, 0.667, 0.8, 1.0):
            y = plot.bottom() - (tick - low) / (1 - low) * plot.height()
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(QRectF(rect.left(), y - 8, 32, 16), Qt.AlignmentFlag.AlignRight, f"{tick:.2f}")
        step = plot.width() / max(len(self.points) - 1, 1)
        for i, point in enumerate(self.points):
            x = plot.left() + (i * step if len(self.points) > 1 else plot.width() / 2)
            if i % max(1, len(self.points) // 8) == 0:
                painter.setPen(self.ink())
                painter.drawText(
                    QRectF(x - 30, plot.bottom() + 2, 60, 16), Qt.AlignmentFlag.AlignCenter, point.day[5:]
                )
        for label in self.labels:
            colour = QColor(self.colours.get(label, "#888888"))
            painter.setPen(QPen(colour, 2))
            painter.setBrush(colour)
            previous: QPointF | None = None
            for i, point in enumerate(self.points):
                value = point.alpha.get(label)
                if value is None:
                    previous = None
                    continue
                x = plot.left() + (i * step if len(self.points) > 1 else plot.width() / 2)
                here = QPointF(x, plot.bottom() - (value - low) / (1 - low) * plot.height())
                if previous is not None:
                    painter.drawLine(previous, here)
                painter.drawEllipse(here, 3, 3)
                previous = here
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self.ink())
        _legend(painter, QRectF(plot.left(), plot.bottom() + 20, rect.width(), 16), self.labels, self.colours)


def _legend(painter: QPainter, rect: QRectF, labels: list[str], colours: dict[str, str]) -> None:
    x = rect.left()
    ink = painter.pen().color()
    for label in labels:
        painter.fillRect(QRectF(x, rect.top() + 4, 10, 10), QColor(colours.get(label, "#888888")))
        painter.setPen(ink)
        width = painter.fontMetrics().horizontalAdvance(label)
        painter.drawText(
            QRectF(x + 14, rect.top(), width + 4, rect.height()), Qt.AlignmentFlag.AlignLeft, label
        )
        x += width + 30
