"""Long work off the GUI thread, with a progress dialog that can cancel it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.services.importing import Cancelled

Progress = Callable[[int, int], None]


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.job = job
        self.cancelled = False

    def run(self) -> None:
        try:
            result = self.job(self._progress)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a worker thread must report, not die silently
            self.failed.emit(f"unexpected error: {exc!r}")
        else:
            self.finished.emit(result)

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled:
            raise Cancelled()
        self.progressed.emit(done, total)


def run_with_progress(
    parent: QWidget,
    title: str,
    job: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
) -> QThread:
    """Run ``job(progress)`` in a thread; the window stays responsive; Cancel rolls the work back."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    thread = QThread(parent)
    worker = _Worker(job)
    worker.moveToThread(thread)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        dialog.close()
        thread.quit()
        thread.wait()
        worker.deleteLater()
        thread.deleteLater()
        callback(value)

    def cancel() -> None:
        worker.cancelled = True
        dialog.setLabelText("Cancelling…")

    thread.started.connect(worker.run)
    worker.progressed.connect(progressed)
    worker.finished.connect(lambda result: finish(on_done, result))
    worker.failed.connect(lambda message: finish(on_error, message))
    dialog.canceled.connect(cancel)
    thread._worker = worker  # type: ignore[attr-defined]  # keep the worker alive with its thread
    thread.start()
    return thread
