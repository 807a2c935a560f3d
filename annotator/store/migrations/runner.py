"""Schema versioning with Alembic: create, upgrade (after a backup), or refuse a newer database.

The common case, a database already at the head revision, is checked with one query and does not
import Alembic, which keeps start-up fast.

Creating or upgrading the schema is serialised: several people opening a fresh team database at
once must not all run CREATE TABLE (PostgreSQL then fails one of them with a UniqueViolation on
pg_type). The work runs in one transaction that first takes a lock (a transaction-level advisory
lock on PostgreSQL, SQLite's write lock), then reads the revision again: whoever waited finds the
schema made and does nothing.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from annotator.store.engine import enable_wal, sqlite_path
from annotator.store.errors import StoreError
from annotator.store.recognition import stored_revision
from annotator.store.sqlite_files import copy_database, empty_database_message, stamp_application_id

# Kept equal to the newest script in versions/ (a test checks it).
HEAD_REVISION = "0010"
MIGRATIONS_DIR = Path(__file__).parent
SCHEMA_LOCK = 0x616E6E73  # an arbitrary advisory-lock key for "schema changes of this database"
SCHEMA_LOCK_TIMEOUT = "120s"  # a migration of a large database takes seconds, not minutes


def current_revision(conn: Connection) -> str | None:
    """The stored schema revision; None for an empty database; refuses foreign databases."""
    return stored_revision(conn)


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}


def backup_sqlite(path: Path, revision: str) -> Path:
    """A consistent copy made with SQLite's backup API (a plain copy could miss the WAL)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-schema-{revision}-{stamp}{path.suffix}")
    with closing(sqlite3.connect(path)) as src:
        copy_database(src, target)
    return target


def migrate(engine: Engine) -> None:
    with engine.connect() as conn:
        revision = current_revision(conn)
        conn.rollback()
    if revision == HEAD_REVISION:
        enable_wal(engine)
        return
    if revision is not None:
        _refuse_unknown(revision)
    if revision is None and engine.dialect.name == "sqlite":
        path = sqlite_path(str(engine.url))
        if path is not None:  # new files are made whole before this (sqlite_files.create_new)
            raise StoreError(empty_database_message(path))
        enable_wal(engine)
        if _create_from_snapshot(engine):
            return
        # Another process created it while this one waited for the lock: check what it made.
        with engine.connect() as conn:
            revision = current_revision(conn)
            conn.rollback()
        if revision == HEAD_REVISION:
            return
        _refuse_unknown(revision)
    if revision is not None:
        path = sqlite_path(str(engine.url))
        if path is not None:
            backup_sqlite(path, revision)
    enable_wal(engine)  # only now: the checks above refuse foreign and newer databases untouched
    _upgrade_to_head(engine)


def _refuse_unknown(revision: str | None) -> None:
    if revision is None or revision not in known_revisions():
        raise StoreError(
            f"this database was made by a newer version of Annotator (schema {revision}; this version "
            f"knows up to {HEAD_REVISION}); upgrade Annotator to open it. It was left untouched"
        )


def _create_from_snapshot(engine: Engine) -> bool:
    """A new SQLite database: the head schema in one script, without importing Alembic (snapshot.py).
    False when another process created the schema first (the file was empty when read, not when
    this process held the write lock)."""
    from annotator.store.migrations.snapshot import create_from_snapshot

    raw = engine.raw_connection()
    try:
        return create_from_snapshot(raw.driver_connection)  # type: ignore[arg-type]
    finally:
        raw.close()


def _upgrade_to_head(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        conn.execution_options(write=True)  # on SQLite: BEGIN IMMEDIATE, the write lock
        with conn.begin():
            if conn.dialect.name == "postgresql":
                _lock_schema(conn)
            # Alembic reads the stored revision inside this transaction, after the lock: a process
            # that waited for another's migration finds the head revision and upgrades nothing.
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            if conn.dialect.name == "sqlite":  # recognisable as ours (sqlite_files.APPLICATION_ID)
                stamp_application_id(conn.connection.driver_connection)  # type: ignore[arg-type]


def _lock_schema(conn: Connection) -> None:
    """Wait (bounded) for any other process creating or upgrading this database's schema."""
    from sqlalchemy.exc import OperationalError

    conn.execute(text(f"SET LOCAL lock_timeout = '{SCHEMA_LOCK_TIMEOUT}'"))
    try:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    except OperationalError as exc:
        if "lock timeout" not in str(exc.orig).lower():
            raise
        raise StoreError(
            f"another program has been creating or upgrading this database's schema for over "
            f"{SCHEMA_LOCK_TIMEOUT} (it holds the schema lock); nothing was changed. Try again later"
        ) from None
    conn.execute(text("SET LOCAL lock_timeout = 0"))
