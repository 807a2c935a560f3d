"""A real window on a real SQLite file in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.app import open_window
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace
from annotator.ui.main_window import MainWindow


@pytest.fixture
def workspace(database_factory) -> Iterator[Workspace]:
    ws = Workspace.open(database_factory("desk.db"))
    yield ws
    ws.close()


@pytest.fixture
def make_window(qtbot, workspace: Workspace, tmp_path: Path) -> Callable[..., MainWindow]:
    def make(annotator: str = "alice") -> MainWindow:
        info = workspace.annotators.sign_in(annotator)
        window = open_window(workspace, info, Settings(tmp_path / f"settings-{annotator}.json"))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        # Hotkeys are window shortcuts: they fire only in the active window with the view focused.
        window.windowHandle().requestActivate()
        qtbot.waitUntil(window.isActiveWindow)
        window.view.setFocus()
        qtbot.waitUntil(window.view.hasFocus)
        return window

    return make
