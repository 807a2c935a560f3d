"""Long work reports to widgets only from the GUI thread, and the guard that checks it can fail."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from annotator.ui import thread_guard
from annotator.ui.background import run_with_progress


def test_callbacks_and_progress_run_in_the_gui_thread(qtbot, workspace, tmp_path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("A short article about leverage.\n")
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: dict[str, object] = {}
    gui = QApplication.instance().thread()

    def job(progress):
        seen["job_thread"] = threading.current_thread().name
        seen["job_in_gui_thread"] = QThread.currentThread() == gui
        return workspace.importer.import_paths([path], progress=progress)

    def done(result) -> None:
        seen["done_in_gui_thread"] = QThread.currentThread() == gui
        seen["result"] = result

    run_with_progress(parent, "Importing…", job, done, lambda m: seen.update(error=m))
    qtbot.waitUntil(lambda: "result" in seen or "error" in seen, timeout=10_000)
    assert seen["job_in_gui_thread"] is False  # the work ran elsewhere...
    assert seen["done_in_gui_thread"] is True  # ...and its result came back to the GUI thread
    assert seen["result"].ok


def test_errors_are_delivered_in_the_gui_thread(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    gui = QApplication.instance().thread()
    seen: dict[str, object] = {}

    def job(progress):
        raise ValueError("broken on purpose")

    def failed(message: str) -> None:
        seen["in_gui_thread"] = QThread.currentThread() == gui
        seen["message"] = message

    run_with_progress(parent, "Working…", job, lambda r: None, failed)
    qtbot.waitUntil(lambda: "message" in seen, timeout=10_000)
    assert seen["in_gui_thread"] is True
    assert "broken on purpose" in str(seen["message"])


def test_the_guard_catches_a_worker_touching_a_widget(qtbot) -> None:
    label = QLabel("shown")
    qtbot.addWidget(label)
    parent = QWidget()
    qtbot.addWidget(parent)
    finished: list[object] = []

    def careless_job(progress):
        return label.objectName()  # a call into a widget from the worker thread

    run_with_progress(parent, "Working…", careless_job, finished.append, finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    caught = list(thread_guard.violations)
    thread_guard.violations.clear()  # caught on purpose: the autouse check must not fail this test
    assert any("QLabel.objectName" in v for v in caught), caught
