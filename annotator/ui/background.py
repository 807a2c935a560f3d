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


class Job:
    """A running job: ``cancel()`` does what the dialog's Cancel button does."""

    def __init__(self, thread: QThread, worker: _Worker) -> None:
        self.thread = thread
        self._worker = worker  # the Python side stays referenced while the thread runs

    def cancel(self) -> None:
        self._worker.cancelled = True


def run_with_progress(
    parent: QWidget,
    title: str,
    job: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
) -> Job:
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
        thread.quit()  # the worker and the thread are deleted once the thread has stopped
        callback(value)

    def cancel() -> None:
        worker.cancelled = True
        dialog.setLabelText("Cancelling…")

    thread.started.connect(worker.run)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    worker.progressed.connect(progressed)
    worker.finished.connect(lambda result: finish(on_done, result))
    worker.failed.connect(lambda message: finish(on_error, message))
    dialog.canceled.connect(cancel)
    thread.start()
    return Job(thread, worker)
