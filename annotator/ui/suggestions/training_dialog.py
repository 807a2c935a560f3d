"""A small window that trains a recommender with a progress bar and Cancel, never blocking the desk.

The training itself runs in a child process (services/suggestions/training_process.py); a QThread waits
on it and reports through signals to this dialog, which lives in the GUI thread, over queued
connections (the ui/background.py pattern), so only the GUI thread touches widgets. The dialog is not
modal: the annotator goes on working while the model trains. ``trained`` carries the new recommender;
closing the window cancels the training, and the previous model stays in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.model import Rejection, TrainingDocument
from annotator.services.importing import Cancelled
from annotator.services.suggestions.training_process import (
    TrainingCancelled,
    TrainingProcess,
    train_in_process,
)
from annotator.ui import thread_guard

QUEUED = Qt.ConnectionType.QueuedConnection
_alive: set[tuple[QThread, QObject]] = set()
TITLES = {"phrase": "phrase recommender", "classifier": "span classifier"}


class _Worker(QObject):
    """Runs in the worker thread: waits on the training process, reports only through signals."""

    progressed = Signal(int, int)
    started_process = Signal(int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self, kind: str, documents: Sequence[TrainingDocument], rejections: Sequence[Rejection]
    ) -> None:
        super().__init__()
        self.kind = kind
        self.documents = documents
        self.rejections = rejections
        self.cancel_requested = False

    @Slot()
    def run(self) -> None:
        thread_guard.watch_this_thread()
        try:
            result = train_in_process(
                self.kind, self.documents, self.rejections, self._progress, started=self._started
            )
        except TrainingCancelled:
            self.cancelled.emit()
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a worker thread must report, not die silently
            self.failed.emit(f"unexpected error: {exc!r}")
        else:
            self.finished.emit(result)
        finally:
            thread_guard.stop_watching()

    def _started(self, run: TrainingProcess) -> None:
        self.started_process.emit(run.pid or 0)

    def _progress(self, done: int, total: int) -> None:
        if self.cancel_requested:
            raise Cancelled()
        self.progressed.emit(done, total)


class TrainingDialog(QDialog):
    """Trains ``kind`` on ``documents``; ``trained(recommender)`` when done. Call ``start()``."""

    trained = Signal(object)
    ended = Signal(str)  # "done", "cancelled" or "failed"

    def __init__(
        self,
        kind: str,
        documents: Sequence[TrainingDocument],
        rejections: Sequence[Rejection] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        spans = sum(len(d.spans) for d in documents)
        self.setWindowTitle(f"Training the {TITLES.get(kind, kind)}")
        self.setModal(False)
        self.state = "idle"
        self.pid: int | None = None
        self.message = QLabel(
            f"Training the {TITLES.get(kind, kind)} on {spans:,} spans in {len(documents):,} documents…"
        )
        self.message.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.button = QPushButton("Cancel")
        self.button.clicked.connect(self._button_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignRight)
        self._thread = QThread()
        self._worker = _Worker(kind, documents, rejections)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progressed, QUEUED)
        self._worker.started_process.connect(self._started_process, QUEUED)
        self._worker.finished.connect(self._finished, QUEUED)
        self._worker.failed.connect(self._failed, QUEUED)
        self._worker.cancelled.connect(self._cancelled, QUEUED)
        self._thread.finished.connect(self._thread_stopped, QUEUED)

    @property
    def running(self) -> bool:
        return self.state == "running"

    def start(self) -> None:
        self.state = "running"
        _alive.add((self._thread, self._worker))  # outlive this dialog until the thread has stopped
        app = QCoreApplication.instance()
        if app is not None:  # quitting while it trains: stop the child and the thread first
            app.aboutToQuit.connect(self._stop_for_quit)
        self._thread.start()
        self.show()

    def cancel(self) -> None:
        if self.running:
            self._worker.cancel_requested = True
            self.message.setText("Cancelling…")
            self.button.setEnabled(False)

    @Slot()
    def _stop_for_quit(self) -> None:
        if self.running:
            self.cancel()
            self._thread.quit()  # its event loop ends once the worker has stopped the child
            self.wait_stopped()

    def wait_stopped(self, ms: int = 30_000) -> bool:
        """Block until the worker thread has ended (for closing the app)."""
        return self._thread.wait(ms)

    def _button_clicked(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.close()

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if total > 0 and self.running:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    @Slot()
    def _thread_stopped(self) -> None:
        _alive.discard((self._thread, self._worker))

    @Slot(int)
    def _started_process(self, pid: int) -> None:
        self.pid = pid or None

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self.state = "done"
        self.trained.emit(result)  # before ``ended``: a listener of ``ended`` may close the app
        self._end("done")
        self.close()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._end("failed")
        self.message.setText(message)
        self.button.setText("Close")
        self.button.setEnabled(True)

    @Slot()
    def _cancelled(self) -> None:
        self._end("cancelled")
        self.close()

    def _end(self, state: str) -> None:
        self.state = state
        self._thread.quit()
        self.ended.emit(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()  # closing the window while it trains cancels the training
        super().closeEvent(event)

    def reject(self) -> None:
        self.cancel()  # Escape hides a dialog without a close event: it cancels too
        super().reject()
