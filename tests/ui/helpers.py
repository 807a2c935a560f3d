"""Driving the article view the way a person does: caret, Shift+arrows, mouse drags."""

from __future__ import annotations

import orjson
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace
from annotator.ui.span_text_view import SpanTextView


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def qt_range(view: SpanTextView, needle: str) -> tuple[int, int]:
    """Qt positions (UTF-16 units) of ``needle`` in what Qt shows (paragraph breaks are U+2029)."""
    shown = view.document().toRawText()
    start = utf16_len(shown[: shown.index(needle)])
    return start, start + utf16_len(needle)


def select_by_keyboard(qtbot: QtBot, view: SpanTextView, needle: str) -> None:
    """Put the caret before ``needle`` as Qt shows it and extend with Shift+Right over its length."""
    start, target = qt_range(view, needle)
    cursor = view.textCursor()
    cursor.setPosition(start)
    view.setTextCursor(cursor)
    while view.textCursor().position() < target:
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def select_by_mouse(qtbot: QtBot, view: SpanTextView, needle: str) -> None:
    start, end = qt_range(view, needle)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    a = view.cursorRect(cursor).center()
    cursor.setPosition(end)
    b = view.cursorRect(cursor).center()
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(a.x(), a.y()))
    qtbot.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, b.y()))
    qtbot.mouseMove(viewport, QPoint(b.x(), b.y()))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(b.x(), b.y()))


def exported_spans(workspace: Workspace, tmp_path, **filters) -> list[tuple[str, dict]]:
    out = tmp_path / "export.jsonl"
    workspace.exporter.export("jsonl", ExportFilter(**filters), path=out)
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    return [(r["text"], s) for r in records for s in r["spans"]]


def when_shown(window_type: type, title: str, act) -> None:
    """Call ``act(window)`` once a visible window of ``window_type`` titled ``title`` is up (polled
    from the event loop, so it also answers a dialog run with exec()). Found among the top-level
    windows, not as QApplication.activeModalWidget(): a modal another test left behind would be
    returned there, and the dialog under test would then wait forever."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll() -> None:
        found = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, window_type) and w.isVisible() and w.windowTitle() == title
        ]
        if found:
            act(found[0])
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
