"""Composition root for the GUI: paths -> database (migrated) -> services -> QApplication -> window."""

from __future__ import annotations

import contextlib
import getpass
import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.domain.errors import AnnotatorError
from annotator.paths import resource_path
from annotator.services.models import AnnotatorInfo
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace
from annotator.ui.annotator_dialog import AnnotatorDialog
from annotator.ui.error_hook import install_error_hook
from annotator.ui.main_window import MainWindow

APP_ID = "io.github.annotator.Annotator"
NO_ANNOTATOR = (
    "annotator: closed without opening the database: every span is saved under an annotator's name, "
    "so Annotator needs one. Start it again and type your name (nothing was changed)"
)


def make_application(qt_options: Sequence[str] = ()) -> QApplication:
    """The application object; ``qt_options`` are Qt's own command-line options (-platform xcb...)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication([*sys.argv[:1], *qt_options])
    app.setApplicationName("Annotator")
    app.setOrganizationName("annotator")
    app.setDesktopFileName(APP_ID)
    icon = resource_path("icons/annotator.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def choose_annotator(workspace: Workspace, settings: Settings) -> AnnotatorInfo | None:
    """The remembered annotator for this database, or ask (first start)."""
    remembered = settings.annotator_for(workspace.location)
    if remembered:
        found = workspace.reads.find_annotator(remembered)
        if found is not None:
            return found
    suggestion = remembered or workspace.database_user or _login_name()
    dialog = AnnotatorDialog(
        workspace.annotators.list(),
        suggestion,
        first_start=True,
        newcomer_role=workspace.annotators.newcomer_role(),
    )
    while dialog.exec():
        try:
            annotator = workspace.annotators.sign_in(dialog.chosen_name())
        except AnnotatorError as exc:
            dialog.error.setText(str(exc))
            continue
        settings.remember_annotator(workspace.location, annotator.name)
        return annotator
    return None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some systems; the person types one
        return ""


def open_window(workspace: Workspace, annotator: AnnotatorInfo, settings: Settings) -> MainWindow:
    workspace.ensure_sample()
    return MainWindow(workspace, annotator, settings)


class GuiSession:
    """The open windows: File > Connect opens another database in a new window and closes the old."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.windows: list[MainWindow] = []

    def open(self, target: str | None) -> bool | None:
        """True when a window opened, False when the database was refused, None when cancelled."""
        try:
            # Services are made on first use: the window opens without waiting for the ORM, which
            # is imported in the background once it shows (prepare_in_background).
            workspace = Workspace.open(target, lazy=True)
            workspace.ensure_sample()
        except AnnotatorError as exc:
            QMessageBox.critical(None, "Annotator cannot open the database", str(exc))
            print(f"annotator: error: {exc}", file=sys.stderr)
            return False
        for warning in workspace.warnings:
            QMessageBox.warning(None, "Annotator", warning)
        annotator = choose_annotator(workspace, self.settings)
        if annotator is None:
            workspace.close()
            if not self.windows:
                print(NO_ANNOTATOR, file=sys.stderr)
            return None
        self._remember(workspace.reopen_target)  # a PostgreSQL URL without its password
        window = MainWindow(workspace, annotator, self.settings)
        window.connectRequested.connect(self.switch)
        window.destroyed.connect(workspace.close)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        self.windows.append(window)
        prepare_in_background(workspace)
        return True

    def switch(self, target: str) -> None:
        old = list(self.windows)
        if self.open(target):
            for window in old:
                window.close()
                self.windows.remove(window)

    def _remember(self, location: str) -> None:
        recent = [location] + [r for r in self.settings.get("recent_databases", []) if r != location]
        self.settings.set("recent_databases", recent[:10])


def prepare_in_background(workspace: Workspace) -> None:
    """Import what the services need (the ORM, ~0.4-0.9 s) in a thread while the person reads, so
    the first change does not wait for it; the services are then made on the GUI thread (a
    zero-timer once the imports are done: no Qt object is touched from the thread)."""
    import threading

    done = threading.Event()

    def imports() -> None:
        import annotator.services.annotations
        import annotator.services.annotators
        import annotator.services.documents
        import annotator.services.export_service
        import annotator.services.importing
        import annotator.services.labels  # noqa: F401

        done.set()

    def make_services() -> None:
        if not done.is_set():
            QTimer.singleShot(50, make_services)
            return
        with contextlib.suppress(AnnotatorError):  # a database closed meanwhile: made on first use
            workspace.prepare_services()

    threading.Thread(target=imports, name="prepare-services", daemon=True).start()
    QTimer.singleShot(50, make_services)


def run_gui(db: str | None, qt_options: Sequence[str] = ()) -> int:
    app = make_application(qt_options)
    install_error_hook()
    session = GuiSession(Settings())
    opened = session.open(db)
    if not opened:
        return 1 if opened is False else 0
    return app.exec()
