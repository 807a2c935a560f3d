"""One engine per database and a transaction per user action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session

from annotator.store.engine import create_database_engine, sqlite_path
from annotator.store.errors import StoreError
from annotator.store.migrations.runner import migrate


class Database:
    """The database behind a workspace: migrated on open, then used through short transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, target: str) -> Database:
        engine = create_database_engine(target)
        try:
            migrate(engine)
        except StoreError:
            engine.dispose()
            raise
        except OperationalError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the database {target}: {exc.orig}") from None
        return cls(engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        path = sqlite_path(str(self.engine.url))
        return str(path) if path else self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin(), Session(bind=conn, expire_on_commit=False, autoflush=False) as session:
                yield session
                session.flush()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with (
            self.engine.connect() as conn,
            conn.begin(),
            Session(bind=conn, expire_on_commit=False) as session,
        ):
            yield session

    def close(self) -> None:
        self.engine.dispose()


def describe_failure(exc: DBAPIError, location: str) -> str:
    """What went wrong with the database, in words; nothing was changed (the transaction rolled back)."""
    detail = str(exc.orig).strip()
    lowered = detail.lower()
    if isinstance(exc, IntegrityError):
        return f"the change conflicts with what is stored ({detail}); nothing was changed"
    if "locked" in lowered or "busy" in lowered:
        return f"the database {location} is busy (another program is writing); try again. Nothing was changed"
    if "readonly" in lowered or "read-only" in lowered:
        return f"the database {location} is read-only; nothing was changed"
    if "disk" in lowered and "full" in lowered:
        return f"the disk holding {location} is full; nothing was changed. Free some space and try again"
    if exc.connection_invalidated:
        return f"the connection to {location} was lost; nothing was changed. Try again"
    return f"database error on {location}: {detail}; nothing was changed"
