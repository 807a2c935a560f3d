"""File > Connect opens another database in a new window and remembers it."""

from __future__ import annotations

from pathlib import Path

from annotator.app import GuiSession
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace


def prepared(path: Path, settings: Settings) -> str:
    ws = Workspace.open(str(path))
    ws.ensure_sample()
    ws.annotators.sign_in("zoe")
    settings.remember_annotator(ws.location, "zoe")
    location = ws.location
    ws.close()
    return location


def test_connect_switches_database_and_remembers_it(qtbot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    first = prepared(tmp_path / "first.db", settings)
    second = prepared(tmp_path / "second.db", settings)
    session = GuiSession(settings)
    assert session.open(first) is True
    old = session.windows[0]
    old.connectRequested.emit(second)
    assert [w.workspace.location for w in session.windows] == [second]
    assert settings.get("recent_databases")[:2] == [second, first]
    session.windows[0].close()


def test_a_file_that_is_not_a_database_keeps_the_current_window(qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    settings = Settings(tmp_path / "settings.json")
    first = prepared(tmp_path / "first.db", settings)
    junk = tmp_path / "notes.db"
    junk.write_text("not a database")
    session = GuiSession(settings)
    assert session.open(first) is True
    session.windows[0].connectRequested.emit(str(junk))
    assert [w.workspace.location for w in session.windows] == [first]
    assert shown and "not an Annotator database" in shown[0]
    assert junk.read_text() == "not a database"
    session.windows[0].close()
