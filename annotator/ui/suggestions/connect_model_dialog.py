"""Suggestions › Connect external model…: a Label Studio ML backend's URL, checked before it is used.

Check asks ``GET /health`` and one trial ``POST /predict`` with this database's labels (what
`annotator models check` does), in a worker thread: a backend that does not answer never freezes the
window, and the dialog says what went wrong. Connect is offered once the URL in the box answered; it
emits ``connected(url, source)``. Disconnect emits ``disconnected()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.ui import thread_guard

QUEUED = Qt.ConnectionType.QueuedConnection
TITLE = "Connect external model"
TRIAL_TEXT = "Beijing threatened new tariffs as exports fell 12 percent; officials spoke of a new cold war."
CHECK_TIMEOUT = 10.0
_alive: set[_Reaper] = set()


class _Reaper(QObject):
    """Holds a check's thread and worker, whatever happens to the dialog, until the thread stopped."""

    def __init__(self, thread: QThread, worker: QObject) -> None:
        super().__init__()
        self.thread, self.worker = thread, worker
        _alive.add(self)

    @Slot()
    def stopped(self) -> None:
        _alive.discard(self)


class _Checker(QObject):
    """Runs in a worker thread; reports through signals only."""

    passed = Signal(str, str, str)  # url, source, what it found
    failed = Signal(str, str)  # url, message

    def __init__(self, url: str, labels: Sequence[str]) -> None:
        super().__init__()
        self.url = url
        self.labels = list(labels)

    @Slot()
    def run(self) -> None:
        from annotator.services.suggestions.from_backend import backend_source
        from annotator.services.suggestions.ml_backend import Document, MLBackend

        thread_guard.watch_this_thread()
        try:
            backend = MLBackend(self.url, timeout=CHECK_TIMEOUT)
            health = backend.health()
            trial = backend.predict([Document("trial", TRIAL_TEXT)], self.labels)["trial"]
            source = backend_source(health)
            version = health.get("model_version")
            self.passed.emit(
                self.url,
                source,
                f"UP: {source}"
                + (f" (version {version})" if version else "")
                + f"; a trial prediction gave {len(trial)} suggestion{'' if len(trial) == 1 else 's'}.",
            )
        except AnnotatorError as exc:
            self.failed.emit(self.url, str(exc))
        except Exception as exc:  # a worker reports, it does not die silently
            self.failed.emit(self.url, f"unexpected error: {exc!r}")
        finally:
            thread_guard.stop_watching()


class ConnectModelDialog(QDialog):
    connected = Signal(str, str)  # url, source name
    disconnected = Signal()

    def __init__(
        self, url: str, labels: Sequence[str], is_connected: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.labels = list(labels)
        self.checked: tuple[str, str] | None = None  # (url, source) that answered
        self.url_edit = QLineEdit(url)
        self.url_edit.setPlaceholderText("http://localhost:9090")
        self.url_edit.textChanged.connect(self._url_changed)
        self.check_button = QPushButton("&Check")
        self.check_button.clicked.connect(self.check)
        self.status = QLabel(
            "A Label Studio ML backend (GET /health, POST /predict). Check it, then connect."
        )
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.url_edit)
        row.addWidget(self.check_button)
        form = QFormLayout()
        form.addRow("&URL:", row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton("C&onnect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setEnabled(False)
        self.disconnect_button = self.buttons.addButton("&Disconnect", QDialogButtonBox.ButtonRole.ResetRole)
        self.disconnect_button.setVisible(is_connected)
        self.connect_button.clicked.connect(self._connect)
        self.disconnect_button.clicked.connect(self._disconnect)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def check(self) -> None:
        url = self.url_edit.text().strip()
        if not url:
            self._say("Enter the backend's URL, e.g. http://localhost:9090", error=True)
            return
        self.check_button.setEnabled(False)
        self._say(f"Checking {url}…")
        thread = QThread()
        thread.setObjectName("model-check")
        checker = _Checker(url, self.labels)
        checker.moveToThread(thread)
        thread.started.connect(checker.run)
        checker.passed.connect(self._passed, QUEUED)
        checker.failed.connect(self._failed, QUEUED)
        checker.passed.connect(thread.quit)
        checker.failed.connect(thread.quit)
        reaper = _Reaper(thread, checker)  # in the GUI thread; keeps both until the thread stopped
        thread.finished.connect(reaper.stopped, QUEUED)
        thread.start()

    @Slot(str, str, str)
    def _passed(self, url: str, source: str, found: str) -> None:
        self.check_button.setEnabled(True)
        if url != self.url_edit.text().strip():
            return  # the URL changed meanwhile: that answer is not about it
        self.checked = (url, source)
        self.connect_button.setEnabled(True)
        self._say(found)

    @Slot(str, str)
    def _failed(self, url: str, message: str) -> None:
        self.check_button.setEnabled(True)
        if url == self.url_edit.text().strip():
            self._say(f"Cannot use this backend: {message}", error=True)

    def _url_changed(self) -> None:
        self.checked = None
        self.connect_button.setEnabled(False)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def _connect(self) -> None:
        if self.checked is not None:
            self.connected.emit(*self.checked)
            self.accept()

    def _disconnect(self) -> None:
        self.disconnected.emit()
        self.accept()


def wait_for_checks(ms: int = 15_000) -> None:
    """Block until running checks ended (the application is quitting)."""
    for reaper in list(_alive):
        reaper.thread.wait(ms)
