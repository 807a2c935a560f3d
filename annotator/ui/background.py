"""Long work off the GUI thread, with a progress dialog that can cancel it.

Threads and widgets: the job runs in a QThread and never touches a widget. Its progress and its
result travel as signals to a relay, a QObject that lives in the GUI thread, over queued
connections, so every callback (closing the dialog, showing a message box, reloading a list) runs
in the GUI thread. A lambda connected to the worker's signal would run in the worker's thread
instead: offscreen that passes, under a real X server it crashes (DESIGN.md section 9).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from annotator.domain.errors import AnnotatorError
from annotator.services.importing import Cancelled
from annotator.ui import thread_guard

Progress = Callable[[int, int], None]
QUEUED = Qt.ConnectionType.QueuedConnection


class _Worker(QObject):
    """Runs the job in the worker thread; reports only through its signals."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.job = job
        self.cancelled = False

    @Slot()
    def run(self) -> None:
        thread_guard.watch_this_thread()
        try:
            result = self.job(self._progress)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a worker thread must report, not die silently
            self.failed.emit(f"unexpected error: {exc!r}")
        else:
            self.finished.emit(result)
        finally:
            thread_guard.stop_watching()

    def _progress(self, done: int, total: int) -> None:
        if self.cancelled:
            raise Cancelled()
        self.progressed.emit(done, total)


class _Relay(QObject):
    """Lives in the GUI thread: receives the worker's signals there and drives the dialog and the
    caller's callbacks.

    It has no parent, and neither has the thread: a callback may close and delete the window that
    started the job (an export dialog accepts itself), and neither the relay running that callback
    nor a thread that is still stopping may be deleted with it. Both stay referenced from
    ``_running`` until the thread has stopped."""

    def __init__(
        self,
        dialog: QProgressDialog,
        thread: QThread,
        worker: _Worker,
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__()
        self.dialog = dialog
        self.thread = thread
        self.worker = worker
        self.on_done = on_done
        self.on_error = on_error
        self.ended = False

    @Slot(int, int)
    def progressed(self, done: int, total: int) -> None:
        if not self.ended and isValid(self.dialog):
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(done)

    @Slot(object)
    def finished(self, result: object) -> None:
        self._end()
        self.on_done(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        self._end()
        self.on_error(message)

    @Slot()
    def thread_stopped(self) -> None:
        self.worker.deleteLater()
        self.thread.deleteLater()  # safe once finished: ~QThread waits for a thread in its finish
        _running.discard(self)
        self.deleteLater()

    def _end(self) -> None:
        self.ended = True
        if isValid(self.dialog):  # gone already if the window that started the job was deleted
            self.dialog.close()
            self.dialog.deleteLater()
        self.thread.quit()  # thread_stopped() tidies up once the thread has stopped


_running: set[_Relay] = set()


class Job:
    """A running job: ``cancel()`` does what the dialog's Cancel button does."""

    def __init__(self, thread: QThread, worker: _Worker) -> None:
        self.thread = thread
        self._worker = worker

    def cancel(self) -> None:
        self._worker.cancelled = True


def run_with_progress(
    parent: QWidget,
    title: str,
    job: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
) -> Job:
    """Run ``job(progress)`` in a thread; the window stays responsive; Cancel rolls the work back.

    ``on_done(result)`` and ``on_error(message)`` run in the GUI thread, after the progress dialog
    has closed: they may show message boxes and touch any widget."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)  # the window that started it waits
    thread = QThread()
    worker = _Worker(job)
    worker.moveToThread(thread)
    relay = _Relay(dialog, thread, worker, on_done, on_error)
    _running.add(relay)

    def cancel() -> None:
        worker.cancelled = True
        dialog.setLabelText("Cancelling…")

    thread.started.connect(worker.run)
    thread.finished.connect(relay.thread_stopped, QUEUED)
    worker.progressed.connect(relay.progressed, QUEUED)
    worker.finished.connect(relay.finished, QUEUED)
    worker.failed.connect(relay.failed, QUEUED)
    dialog.canceled.connect(cancel)
    thread.start()
    return Job(thread, worker)
