"""A new SQLite database is made from sqlite_head.sql, not by running every migration: the file must
be exactly what the migrations make (regenerate it with `python -m annotator.store.migrations.snapshot`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.services.workspace import Workspace
from annotator.store.migrations.runner import HEAD_REVISION
from annotator.store.migrations.snapshot import SNAPSHOT, dump, migrated_dump


def test_the_snapshot_is_what_the_migrations_make() -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == migrated_dump(), (
        "sqlite_head.sql is out of date: run python -m annotator.store.migrations.snapshot"
    )


def test_a_new_database_is_the_migrated_schema_at_head(tmp_path: Path) -> None:
    ws = Workspace.open(str(tmp_path / "new.db"))
    ws.close()
    with sqlite3.connect(tmp_path / "new.db") as conn:
        assert dump(conn) == migrated_dump()
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_new_database_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from annotator.services.workspace import Workspace\n"
        f"Workspace.open({str(tmp_path / 'new.db')!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
