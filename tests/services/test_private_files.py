"""What Annotator writes about a person's work is readable by that person only: the database, its
-wal/-shm, settings.json and backups are created 0600, in a per-user data folder created 0700."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.services.exporting import ExportFilter
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "home" / "annotator"
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(folder))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    previous = os.umask(0o022)  # the usual umask, which made everything 0644 in 0755 folders
    yield folder
    os.umask(previous)


def test_the_default_database_settings_and_backups_are_private(data_dir: Path, tmp_path: Path) -> None:
    ws = Workspace.open()  # the per-user default database
    try:
        ws.ensure_sample()
        settings = Settings()
        settings.remember_annotator(ws.reopen_target, "alice")
        ws.backup(tmp_path / "backup.db")
        ws.exporter.export("jsonl", ExportFilter(), path=tmp_path / "out.jsonl")
        ws.exporter.export("brat", ExportFilter(), path=tmp_path / "brat")
        assert mode(data_dir) == 0o700
        assert mode(tmp_path / "home") == 0o700  # every folder it had to create
        names = sorted(p.name for p in data_dir.iterdir())
        assert names == ["annotator.db", "annotator.db-shm", "annotator.db-wal", "settings.json"]
        for name in names:
            assert mode(data_dir / name) == 0o600, name
        assert mode(tmp_path / "backup.db") == 0o600
        assert mode(tmp_path / "out.jsonl") == 0o600
        assert mode(tmp_path / "brat") == 0o700
        assert {mode(p) for p in (tmp_path / "brat").iterdir()} == {0o600}
    finally:
        ws.close()


def test_a_data_folder_left_open_by_an_older_release_is_closed(data_dir: Path) -> None:
    Workspace.open().close()
    os.chmod(data_dir, 0o755)
    Workspace.open().close()
    assert mode(data_dir) == 0o700


def test_a_folder_a_person_chose_keeps_its_mode(tmp_path: Path, data_dir: Path) -> None:
    shared = tmp_path / "team-share"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    Workspace.open(str(shared / "a.db")).close()
    assert mode(shared) == 0o755  # theirs to decide; the database in it is still private
    assert mode(shared / "a.db") == 0o600


def test_the_backup_made_before_a_schema_upgrade_is_private(tmp_path: Path, data_dir: Path) -> None:
    from tests.store.test_migrations import make_release_0001

    path = tmp_path / "old.db"
    make_release_0001(str(path), ["text"])
    Workspace.open(str(path)).close()
    [backup] = [p for p in tmp_path.iterdir() if "backup-schema-0001" in p.name]
    assert mode(backup) == 0o600
