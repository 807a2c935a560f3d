"""Suggestions computed for the next documents in a worker thread (ui/background.py's pattern).

The worker lives in its own QThread and touches no widget: requests reach it over a queued
connection, and what it computed goes back as a signal to the controller, a QObject in the GUI
thread, over a queued connection, so the overlay is redrawn in the GUI thread. A newer request
makes the one in progress stop after its current document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from annotator.ui import thread_guard

if TYPE_CHECKING:
    from annotator.services.suggestions.compute import SuggestionComputer
    from annotator.services.suggestions.compute_process import ProcessComputer
    from annotator.services.suggestions.from_backend import BackendComputer

QUEUED = Qt.ConnectionType.QueuedConnection


class SuggestionWorker(QObject):
    computed = Signal(object)  # list of document ids whose suggestions were stored
    failed = Signal(str)

    def __init__(self, computer: SuggestionComputer | ProcessComputer | BackendComputer) -> None:
        super().__init__()
        self.computer = computer
        self.latest = 0  # the newest request's number, set from the GUI thread
        self.finished_request = 0  # the last request it finished (or skipped)

    @Slot(int, int, object, object)
    def compute(self, request: int, annotator_id: int, document_ids: object, labels: object) -> None:
        if request != self.latest:
            self.finished_request = request
            return  # superseded before it started
        thread_guard.watch_this_thread()
        try:
            done = self.computer.compute(
                annotator_id,
                list(document_ids),  # type: ignore[call-overload]
                list(labels),  # type: ignore[call-overload]
                cancelled=lambda: request != self.latest,
            )
        except Exception as exc:  # a worker reports, it does not die silently
            if self.latest != -1:  # (not stopped on purpose)
                self.failed.emit(f"suggestions could not be computed: {exc}")
        else:
            self.computed.emit(done)
        finally:
            self.finished_request = request
            thread_guard.stop_watching()


_running: set[BackgroundSuggestions] = set()  # kept until their thread stopped, whatever owns them


def stop_all() -> None:
    """Stop every worker thread (the application is quitting)."""
    for background in list(_running):
        background.stop()


class BackgroundSuggestions(QObject):
    """Owns the thread; ``request`` asks for documents, ``computed``/``failed`` arrive in the GUI thread.

    Referenced from ``_running`` until its thread has stopped, so a window deleted without being
    closed never takes a running QThread with it (Qt aborts the process then)."""

    _ask = Signal(int, int, object, object)

    def __init__(
        self, computer: SuggestionComputer | ProcessComputer | BackendComputer, name: str = "suggestions"
    ) -> None:
        super().__init__()
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.worker = SuggestionWorker(computer)
        self.worker.moveToThread(self.thread)
        self._ask.connect(self.worker.compute, QUEUED)
        self._requests = 0
        _running.add(self)
        self.thread.start()

    def request(self, annotator_id: int, document_ids: list[int], labels: list[str]) -> None:
        self._requests += 1
        self.worker.latest = self._requests
        self._ask.emit(self._requests, annotator_id, document_ids, labels)

    def busy(self) -> bool:
        """Whether the newest request is still being worked on."""
        return self.worker.finished_request < self._requests

    def stop(self) -> None:
        self.worker.latest = -1  # whatever runs stops after its current document
        close = getattr(self.worker.computer, "close", None)
        if close is not None:  # a child process computing (services/suggestions/compute_process.py)
            close()
        self.thread.quit()
        if self.thread.wait(10_000):
            _running.discard(self)
