"""Shared by the screenshot scripts: let the window paint, save it as PNG, quit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

SETTLE_MS = 800  # time for the window manager to map the window and Qt to paint it


def save_after_paint(app: QApplication, widget: QWidget, out: Path, *, screen: bool = False) -> None:
    """screen: grab the window's area of the screen, so dialogs open over it show too."""

    def grab() -> None:
        if screen:
            g = widget.frameGeometry()
            app.primaryScreen().grabWindow(0, g.x(), g.y(), g.width(), g.height()).save(str(out))
        else:
            widget.grab().save(str(out))
        print(f"saved {out}")
        app.quit()

    QTimer.singleShot(SETTLE_MS, grab)
    app.exec()
