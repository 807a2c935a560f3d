"""An unexpected error in the window becomes a message box and one line on stderr, not a traceback."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.ui.error_hook import TITLE, install_error_hook


def test_unexpected_error_is_shown_as_a_message(qtbot, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_error_hook()
    try:
        raise KeyError("missing piece")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert [b.windowTitle() for b in boxes] == [TITLE]
    assert "KeyError: 'missing piece'" in boxes[0].text()
    assert "What was saved before this stays saved" in boxes[0].text()
    err = capsys.readouterr().err
    assert "annotator: error: Something went wrong: KeyError" in err
    assert "Traceback" not in err
    boxes[0].close()
