"""A retraining of the span classifier in the background, with no window: the desk goes on.

The worker thread gathers the annotator's training data (services gather_training) and waits on the
training child process (services/suggestions/training_process.py); its result reaches ``RetrainJob``,
a QObject in the GUI thread, over queued connections. ``cancel()`` stops the child at its next check.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from annotator.domain.errors import AnnotatorError
from annotator.services.importing import Cancelled
from annotator.services.suggestions.saved_models import SavedModel
from annotator.services.suggestions.training import gather_training
from annotator.services.suggestions.training_process import train_in_process
from annotator.ui import thread_guard

QUEUED = Qt.ConnectionType.QueuedConnection
_alive: set[RetrainJob] = set()


class _Worker(QObject):
    finished = Signal(object)  # SavedModel, or None when there was nothing to learn from
    failed = Signal(str)

    def __init__(self, db: Any, annotator_id: int) -> None:
        super().__init__()
        self.db = db
        self.annotator_id = annotator_id
        self.cancel_requested = False

    @Slot()
    def run(self) -> None:
        thread_guard.watch_this_thread()
        try:
            data = gather_training(self.db, self.annotator_id)
            spans = sum(len(d.spans) for d in data.documents)
            if spans == 0 or self.cancel_requested:
                self.finished.emit(None)
                return
            recommender = train_in_process("classifier", data.documents, data.rejections, self._progress)
            self.finished.emit(SavedModel(recommender, spans, data.used_others))
        except AnnotatorError as exc:  # (TrainingCancelled too)
            self.failed.emit(str(exc))
        except Exception as exc:  # a worker reports, it does not die silently
            self.failed.emit(f"unexpected error: {exc!r}")
        finally:
            thread_guard.stop_watching()

    def _progress(self, _done: int, _total: int) -> None:
        if self.cancel_requested:
            raise Cancelled()


class RetrainJob(QObject):
    """Starts at once; ``done(SavedModel | None)`` or ``failed(message)`` arrive in the GUI thread."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, db: Any, annotator_id: int) -> None:
        super().__init__()
        self.running = True
        self.thread = QThread()
        self.thread.setObjectName("retrain")
        self.worker = _Worker(db, annotator_id)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._finished, QUEUED)
        self.worker.failed.connect(self._failed, QUEUED)
        self.thread.finished.connect(self._stopped, QUEUED)
        _alive.add(self)  # until its thread stopped, whatever owns it
        self.thread.start()

    @Slot(object)
    def _finished(self, model: object) -> None:
        self.running = False
        self.thread.quit()
        self.done.emit(model)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.running = False
        self.thread.quit()
        self.failed.emit(message)

    @Slot()
    def _stopped(self) -> None:
        _alive.discard(self)

    def stop(self, ms: int = 30_000) -> bool:
        """Cancel and wait for the thread (closing the desk)."""
        self.worker.cancel_requested = True
        self.thread.quit()
        stopped = self.thread.wait(ms)
        if stopped:
            _alive.discard(self)
        return stopped
