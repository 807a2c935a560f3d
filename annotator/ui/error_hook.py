"""An unexpected error in the window is a message, not a traceback in a terminal nobody reads.

Every edit is its own committed transaction, so an error in one action leaves what was saved
before it saved; the message says so and names the error, and the program keeps running."""

from __future__ import annotations

import sys
import traceback
from functools import partial
from types import TracebackType

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox

TITLE = "Annotator: unexpected error"


def describe(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" (in {where.name}, {where.filename.rsplit('/', 1)[-1]}:{where.lineno})" if where else ""
    return (
        f"Something went wrong: {type(exc).__name__}: {exc}{place}.\n\n"
        "What was saved before this stays saved; the action that failed may not have been completed. "
        "Please report this message."
    )


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc.__traceback__ = tb
    message = describe(exc)
    print(f"annotator: error: {message.splitlines()[0]}", file=sys.stderr, flush=True)
    app = QApplication.instance()
    if app is None or QThread.currentThread() != app.thread():
        return  # never a widget from another thread; the line above is the report
    box = QMessageBox(QMessageBox.Icon.Critical, TITLE, message, QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _shown.add(box)  # without a parent nothing else keeps it alive
    box.finished.connect(partial(_shown.discard, box))
    box.open()  # not exec(): the hook returns, the program keeps running


_shown: set[QMessageBox] = set()


def install_error_hook() -> None:
    sys.excepthook = _hook
