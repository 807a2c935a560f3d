"""A real window on a real SQLite file in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.app import open_window
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace
from annotator.ui.main_window import MainWindow

# What Qt prints when an object is used from a thread it does not belong to.
THREAD_WARNINGS = ("different thread", "QBasicTimer", "Cannot create children", "QObject::setParent")


@pytest.fixture(autouse=True)
def no_widget_touched_from_a_worker(qtlog) -> Iterator[None]:
    """Fails the test when a worker thread touched a widget (the guard) or Qt warned about threads."""
    from annotator.ui import thread_guard

    thread_guard.violations.clear()
    yield
    found = list(thread_guard.violations)
    thread_guard.violations.clear()
    found += [r.message for r in qtlog.records if any(w in r.message for w in THREAD_WARNINGS)]
    assert not found, f"widgets used from a worker thread: {found}"


@pytest.fixture
def workspace(database_factory) -> Iterator[Workspace]:
    ws = Workspace.open(database_factory("desk.db"))
    yield ws
    ws.close()


@pytest.fixture
def make_window(qtbot, workspace: Workspace, tmp_path: Path) -> Callable[..., MainWindow]:
    def make(annotator: str = "alice") -> MainWindow:
        # The first person to sign in supervises the database: 'sam' does, so 'alice' annotates.
        workspace.annotators.sign_in("sam")
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
