"""A database as an earlier release left it: a new database brought by Alembic to an older revision."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine

from annotator.store.engine import to_url
from annotator.store.migrations.runner import MIGRATIONS_DIR


@contextmanager
def at_revision(target: str, revision: str) -> Iterator[tuple[Engine, Connection]]:
    """(engine, connection) with the schema at ``revision``; the connection's transaction stays open
    for the caller to add that release's rows, and commits when the block ends. The caller disposes
    of the engine."""
    engine = create_engine(to_url(target))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        yield engine, conn
