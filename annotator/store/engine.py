"""Engine creation: URL resolution and SQLite pragmas (which files are opened: sqlite_files.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from annotator.store import sqlite_files
from annotator.store.errors import StoreError

BUSY_TIMEOUT_MS = 15_000


def to_url(target: str) -> str:
    """A SQLAlchemy URL for a file path or URL given by the user."""
    if "://" in target:
        try:
            url = make_url(target)
        except ArgumentError as exc:
            raise StoreError(f"'{target}' is not a database URL or file path: {exc}") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise StoreError(
                f"'{target}': unsupported database '{url.get_backend_name()}' (use a SQLite file path or "
                "postgresql+psycopg://user@host/db)"
            )
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if _is_uri(url) and parsed.database.startswith("file:"):  # sqlite:///file:/path?mode=ro&uri=true
        name = unquote(urlsplit(parsed.database).path)
        return Path(name) if name and name != ":memory:" else None
    return Path(parsed.database)


def _is_uri(url: str) -> bool:
    return str(make_url(url).query.get("uri", "")).lower() in ("true", "1")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's implicit transactions are unreliable).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # No journal_mode here: switching to WAL rewrites the file header, and a database that is not
        # (yet) known to be ours must stay untouched. enable_wal() runs once it has been recognised.
        # FULL in WAL mode syncs the log at every commit: an acknowledged change survives power loss.
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers wait for each other instead of
        # failing with "database is locked" when a read transaction upgrades to a write.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def enable_wal(engine: Engine) -> None:
    """Put a SQLite database recognised as Annotator's into WAL mode (a setting stored in the file)."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        # Outside any transaction (the driver runs in autocommit mode, see _on_connect).
        raw.driver_connection.execute("PRAGMA journal_mode=WAL")
    finally:
        raw.close()


def create_database_engine(target: str) -> Engine:
    url = to_url(target)
    path = sqlite_path(url)
    if path is not None:
        sqlite_files.prepare(path, create=not _is_uri(url))  # (a URI may ask for mode=ro)
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"the driver for {make_url(url).get_backend_name()} is not installed ({exc.name}); "
            "install it with: pip install 'annotator[postgres]'"
        ) from None
    if url.startswith("sqlite"):
        _configure_sqlite(engine)
    return engine
