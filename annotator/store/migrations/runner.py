"""Schema versioning with Alembic: create, upgrade (after a backup), or refuse a newer database.

The common case, a database already at the head revision, is checked with one query and does not
import Alembic, which keeps start-up fast.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from annotator.store.engine import enable_wal, sqlite_path
from annotator.store.errors import StoreError

# Kept equal to the newest script in versions/ (a test checks it).
HEAD_REVISION = "0005"
MIGRATIONS_DIR = Path(__file__).parent


def current_revision(conn: Connection) -> str | None:
    """The stored schema revision; None for an empty database; refuses foreign databases."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if tables:
        raise StoreError(
            "this database was not made by Annotator (it has tables "
            f"{', '.join(sorted(tables)[:5])} but no Annotator schema version); it was left untouched"
        )
    return None


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}


def backup_sqlite(path: Path, revision: str) -> Path:
    """A consistent copy made with SQLite's backup API (a plain copy could miss the WAL)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-schema-{revision}-{stamp}{path.suffix}")
    with sqlite3.connect(path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def migrate(engine: Engine) -> None:
    with engine.connect() as conn:
        revision = current_revision(conn)
        conn.rollback()
    if revision == HEAD_REVISION:
        enable_wal(engine)
        return
    if revision is None and engine.dialect.name == "sqlite":
        enable_wal(engine)
        _create_from_snapshot(engine)
        return
    if revision is not None:
        if revision not in known_revisions():
            raise StoreError(
                f"this database was made by a newer version of Annotator (schema {revision}; this version "
                f"knows up to {HEAD_REVISION}); upgrade Annotator to open it. It was left untouched"
            )
        path = sqlite_path(str(engine.url))
        if path is not None:
            backup_sqlite(path, revision)
    enable_wal(engine)  # only now: the checks above refuse foreign and newer databases untouched
    _upgrade_to_head(engine)


def _create_from_snapshot(engine: Engine) -> None:
    """A new SQLite database: the head schema in one script, without importing Alembic (snapshot.py)."""
    from annotator.store.migrations.snapshot import create_from_snapshot

    raw = engine.raw_connection()
    try:
        create_from_snapshot(raw.driver_connection)  # type: ignore[arg-type]
    finally:
        raw.close()


def _upgrade_to_head(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
