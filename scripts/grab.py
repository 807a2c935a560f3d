"""Shared by the screenshot scripts: let the window paint, save it as PNG, quit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

SETTLE_MS = 800  # time for the window manager to map the window and Qt to paint it


def save_after_paint(app: QApplication, widget: QWidget, out: Path) -> None:
    def grab() -> None:
        widget.grab().save(str(out))
        print(f"saved {out}")
        app.quit()

    QTimer.singleShot(SETTLE_MS, grab)
    app.exec()
