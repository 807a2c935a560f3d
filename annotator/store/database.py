"""One engine per database and a transaction per user action."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, ProgrammingError

from annotator.store.engine import create_database_engine, sqlite_path
from annotator.store.errors import StoreError
from annotator.store.locking import lock_warning
from annotator.store.migrations.runner import migrate
from annotator.store.sqlite_files import FileIdentity, copy_database, damaged_message, says_disk_full
from annotator.store.team_api import is_team_member, read_through_views

if TYPE_CHECKING:
    from sqlmodel import Session


def location_of(engine: Engine) -> str:
    """Where the database is, for messages: a file path, or a URL without its password."""
    path = sqlite_path(str(engine.url))
    return str(path) if path else engine.url.render_as_string(hide_password=True)


class Database:
    """The database behind a workspace: migrated on open, then used through short transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # PostgreSQL, a role that does not own the tables: spans and statuses only through the
        # views and functions of migration 0005 (store/team_api.py).
        self.team_member = is_team_member(engine)
        if self.team_member:
            read_through_views(engine)
        path = sqlite_path(str(engine.url))
        self.warnings: list[str] = [w for w in [lock_warning(path) if path else None] if w]
        self._identity = FileIdentity(path) if path is not None and path.exists() else None

    @classmethod
    def open(cls, target: str) -> Database:
        engine = create_database_engine(target)
        try:
            migrate(engine)
        except StoreError:
            engine.dispose()
            raise
        except ProgrammingError as exc:
            engine.dispose()
            if "permission denied" in str(exc.orig).lower():
                raise StoreError(
                    "this database needs a schema upgrade, which only its owner (the administrator "
                    "account) can run; nothing was changed"
                ) from None
            raise StoreError(f"cannot open the database {location_of(engine)}: {exc.orig}") from None
        except DBAPIError as exc:  # anything else the server or file says: a message, never a traceback
            engine.dispose()
            raise StoreError(open_failure(engine, exc)) from None
        except sqlite3.Error as exc:  # from statements run on the driver (enable_wal)
            engine.dispose()
            raise StoreError(
                open_failure(engine, DBAPIError.instance(None, None, exc, sqlite3.Error))
            ) from None
        return cls(engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        return location_of(self.engine)

    @property
    def reopen_target(self) -> str:
        """What to remember for opening this database again: a file path, or the URL without its
        password (which then comes from ~/.pgpass or PGPASSWORD, never from a settings file)."""
        path = sqlite_path(str(self.engine.url))
        if path:
            return str(path)
        u = self.engine.url  # (URL.set ignores password=None)
        return URL.create(
            u.drivername, u.username, None, u.host, u.port, u.database, u.query
        ).render_as_string()

    @property
    def child_target(self) -> str:
        """What a child process of this one opens to reach the same database: the file path, or
        the full URL with its password (passed over a pipe, never written anywhere)."""
        path = sqlite_path(str(self.engine.url))
        return str(path) if path else self.engine.url.render_as_string(hide_password=False)

    @contextmanager
    def write(self, *, bulk: bool = False) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises.

        Database failures (locked, read-only, disk full, connection lost) become a StoreError
        that says what happened and that nothing was changed.

        bulk: see write_rows."""
        from sqlmodel import Session  # (here: the ORM and pydantic cost ~0.2 s to import)

        with (
            self.write_rows(bulk=bulk) as conn,
            Session(bind=conn, expire_on_commit=False, autoflush=False) as session,
        ):
            yield session
            session.flush()

    @contextmanager
    def write_rows(self, *, bulk: bool = False) -> Iterator[Connection]:
        """A write transaction on a plain connection (SQLAlchemy Core), for writers of many rows
        that need no ORM (import): committed when the block ends, rolled back if it raises, with
        the failures described as for write().

        bulk: the caller writes only foreign keys it read or inserted itself inside this
        transaction (which holds the write lock, so no parent can vanish meanwhile). SQLite then
        skips its per-row check of them, 15% of the time of a 300,000-span import. The schema
        keeps the constraints, and every other write is checked."""
        unchecked = bulk and self.engine.dialect.name == "sqlite"
        self._check_file()
        try:
            with self.engine.connect() as conn:
                conn.execution_options(write=True)
                if unchecked:  # only outside a transaction does SQLite take this setting
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
                try:
                    with conn.begin():
                        yield conn
                        self._check_file()  # still the file it was: else roll back, not "saved"
                finally:
                    if unchecked:
                        try:
                            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
                        except sqlite3.Error:
                            conn.invalidate()  # never back into the pool unchecked
                            raise
        except DBAPIError as exc:
            raise StoreError(describe_failure(exc, self.location)) from exc
        except self.engine.dialect.loaded_dbapi.Error as exc:  # from bulk statements run on the driver
            wrapped = DBAPIError.instance(None, None, exc, self.engine.dialect.loaded_dbapi.Error)
            raise StoreError(describe_failure(wrapped, self.location)) from exc

    def _check_file(self, *, writing: bool = True) -> None:
        """Refuse to go on when the database file was deleted or replaced under us (SQLite would
        write on into the vanished file and report success; a new connection would make an empty
        database at the path)."""
        problem = self._identity.problem() if self._identity else None
        if problem:
            outcome = "this change was not saved" if writing else "nothing more can be read from it"
            raise StoreError(
                f"{problem}; {outcome}. Put the file back, or connect to a database again "
                "(File > Connect to database)"
            )

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        self._check_file(writing=False)
        try:
            with (
                self.engine.connect() as conn,
                conn.begin(),
                Session(bind=conn, expire_on_commit=False) as session,
            ):
                yield session
        except DBAPIError as exc:
            raise StoreError(describe_failure(exc, self.location)) from exc

    @contextmanager
    def read_rows(self) -> Iterator[Connection]:
        """A read transaction on a plain connection (SQLAlchemy Core), for readers of many rows
        that need no ORM (export)."""
        self._check_file(writing=False)
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(describe_failure(exc, self.location)) from exc

    def backup(self, target: Path) -> None:
        """A consistent copy of a SQLite database (SQLite's backup API), readable by its owner only,
        written beside the target and renamed into place; a failure leaves nothing behind."""
        if not self.is_sqlite:
            raise StoreError("backups of a PostgreSQL database are made on the server (pg_dump)")
        self._check_file()
        source = sqlite_path(str(self.engine.url))
        if source is not None and target.exists() and os.path.samefile(source, target):
            raise StoreError(f"{target} is the database itself: choose another file for the backup")
        raw = self.engine.raw_connection()
        try:
            copy_database(raw.driver_connection, target)  # type: ignore[arg-type]
        finally:
            raw.close()

    def close(self) -> None:
        self.engine.dispose()


def open_failure(engine: Engine, exc: DBAPIError) -> str:
    """Why a database could not be opened: a damaged SQLite file is named as such, untouched."""
    path = sqlite_path(str(engine.url))
    detail = str(exc.orig).strip()
    lowered = detail.lower()
    if path is not None and ("malformed" in lowered or "not a database" in lowered):
        return damaged_message(path, detail)
    if path is not None and says_disk_full(detail, path.parent):
        return f"cannot open the database {path}: the disk is full. Free some space and try again"
    return describe_failure(exc, location_of(engine))


def describe_failure(exc: DBAPIError, location: str) -> str:
    """What went wrong with the database, in words; nothing was changed (the transaction rolled back)."""
    detail = str(exc.orig).strip()
    lowered = detail.lower()
    if "row-level security" in lowered or "permission denied" in lowered:
        return (
            "the database refused this change: on a team database you may change only your own "
            "annotations (a supervisor: only the gold layer); nothing was changed"
        )
    if isinstance(exc, IntegrityError):
        return f"the change conflicts with what is stored ({detail}); nothing was changed"
    if "locked" in lowered or "busy" in lowered:
        return f"the database {location} is busy (another program is writing); try again. Nothing was changed"
    if "readonly" in lowered or "read-only" in lowered:
        return f"the database {location} is read-only; nothing was changed"
    if says_disk_full(detail, Path(location).parent):
        # (SQLite says "disk I/O error" for a full disk on some paths, e.g. growing the -shm file)
        return f"the disk holding {location} is full; nothing was changed. Free some space and try again"
    if exc.connection_invalidated:
        return f"the connection to {location} was lost; nothing was changed. Try again"
    return f"database error on {location}: {detail}; nothing was changed"
