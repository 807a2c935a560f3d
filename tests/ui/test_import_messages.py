"""File > Import shows what a bad file holds escaped: a control sequence in a file never reaches a dialog raw."""

from __future__ import annotations

from pathlib import Path

import orjson
from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from shiboken6 import isValid

from annotator.ui.exchange_dialogs import import_files


def test_a_control_sequence_in_a_file_is_shown_escaped_in_the_import_dialog(
    qtbot, workspace, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "labels.jsonl"
    span = {"start": 0, "end": 3, "label": "\x1b]0;pwned\x07" + "x" * 100_000, "annotator": "a"}
    path.write_bytes(orjson.dumps({"text": "abcdef", "spans": [span]}) + b"\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(path)], ""))
    shown: list[str] = []
    formats: list[Qt.TextFormat] = []

    def read_and_close_the_box() -> None:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox)
            and w.isVisible()
            and w.windowTitle() == "Some files were not imported"
        ]
        if not boxes:
            QTimer.singleShot(20, read_and_close_the_box)
            return
        shown.append(boxes[0].text())
        formats.append(boxes[0].textFormat())
        boxes[0].accept()

    QTimer.singleShot(20, read_and_close_the_box)
    parent = QWidget()
    qtbot.addWidget(parent)
    import_files(parent, workspace, lambda: None)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    for thread in parent.findChildren(QThread):  # let the import's thread end before the parent goes
        qtbot.waitUntil(lambda t=thread: not isValid(t) or t.isFinished(), timeout=10_000)
    qtbot.wait(50)
    (message,) = shown
    assert message.startswith(f"{path}, line 1, field 'spans[0].label': must not contain control characters")
    assert "'\\x1b]0;pwned\\x07xxx" in message
    assert "\x1b" not in message and "\x07" not in message
    assert len(message) < 700
    assert formats == [Qt.TextFormat.PlainText]  # text from a file is never rendered as markup
