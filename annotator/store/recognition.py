"""Whether what a connection shows is an Annotator database, before anything is written to it.

The file-level checks (empty, not SQLite, cut short, another application's id) are made before
connecting (sqlite_files.py); these are the checks that need SQL: the tables and the stored version.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from annotator.store.engine import sqlite_path
from annotator.store.errors import StoreError
from annotator.store.sqlite_files import NEW_DATABASE_HINT

# Tables every schema revision has had; a database with an alembic_version but none of these
# belongs to another program that also uses Alembic.
ANNOTATOR_TABLES = {"document", "label", "annotator", "span"}


def _where(conn: Connection) -> str:
    path = sqlite_path(str(conn.engine.url))
    return str(path) if path else conn.engine.url.render_as_string(hide_password=True)


def _refuse(conn: Connection, what: str) -> StoreError:
    hint = f" {NEW_DATABASE_HINT}" if conn.dialect.name == "sqlite" else ""
    return StoreError(f"{_where(conn)} {what}; it was left untouched.{hint}")


def stored_revision(conn: Connection) -> str | None:
    """The stored schema revision; None for an empty database; refuses one that is not ours."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables:
        if not tables & ANNOTATOR_TABLES:
            raise _refuse(
                conn,
                "was not made by Annotator (it has a schema version table but none of Annotator's tables: "
                f"{', '.join(sorted(tables)[:5])})",
            )
        versions = [v for v in conn.execute(text("SELECT version_num FROM alembic_version")).scalars() if v]
        if len(versions) != 1:
            state = "is empty" if not versions else f"holds {len(versions)} versions"
            raise _refuse(
                conn,
                f"is damaged: its schema version table (alembic_version) {state}, so its schema is unknown",
            )
        return str(versions[0])
    if tables:
        raise _refuse(
            conn,
            "was not made by Annotator (it has tables "
            f"{', '.join(sorted(tables)[:5])} but no Annotator schema version)",
        )
    return None
