"""Engine creation: URL resolution and SQLite pragmas (which files are opened: sqlite_files.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from annotator.store import sqlite_files
from annotator.store.errors import StoreError

BUSY_TIMEOUT_MS = 15_000


_PASSWORD = re.compile(r"(://[^:/@]*:).*@")  # up to the last '@': an unescaped '@' in a password
URL_HINT = "postgresql+psycopg://user@host[:port]/database, or a SQLite file path"


def masked(target: str) -> str:
    """A database URL as messages show it: the password (``user:SECRET@``) replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", target)


def to_url(target: str) -> str:
    """A SQLAlchemy URL for a file path or URL given by the user; StoreError (never showing the
    password) for a URL that cannot be used."""
    if "://" in target:
        try:
            url = make_url(target)
        except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
            raise StoreError(
                f"'{masked(target)}' is not a database URL ({_reason(exc)}); use {URL_HINT}"
            ) from None
        shown = masked(target)
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(f"'{shown}': unsupported database '{backend}'; use {URL_HINT}")
        if "@" in (url.host or ""):
            raise StoreError(
                f"'{masked(target)}' has more than one '@'; write an '@' in the user name or password as %40"
            )
        if backend == "sqlite" and url.database in (None, "", ":memory:"):
            raise StoreError(
                f"'{shown}' names no database file (an in-memory database would lose everything); "
                "give a file path or sqlite:////absolute/file.db"
            )
        if backend == "sqlite" and (url.username or url.password or url.host or url.port):
            raise StoreError(
                f"'{shown}': a SQLite URL names a file only, with no user, password or host "
                "(sqlite:///relative/file.db or sqlite:////absolute/file.db), or give the file path"
            )
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValueError) and "int()" in str(exc):
        return "the port must be a number"
    return "it could not be parsed"


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
    except (ArgumentError, ValueError, TypeError) as exc:  # e.g. an unknown driver (postgresql+nope)
        shown = make_url(url).render_as_string(hide_password=True)
        raise StoreError(f"'{shown}' cannot be used as a database ({exc}); use {URL_HINT}") from None
    if url.startswith("sqlite"):
        _configure_sqlite(engine)
    return engine
