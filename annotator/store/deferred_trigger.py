"""A SQLite row trigger set aside for the length of one bulk import (store/search_index.py,
store/span_tally.py).

Row triggers cost a statement per inserted row; one ``INSERT … SELECT`` over the rows the import
added does the same work in a fraction of the time. The import drops the trigger inside its write
transaction, catches up on the rows added after a watermark (the largest id before it started:
the writer counts new ids from there) in one statement, and puts the trigger back as it was.
Everything happens in the one transaction, which holds SQLite's write lock: no other writer ever
sees the trigger missing, and a failed import rolls all of it back."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text


def set_aside_trigger(conn: Connection, trigger: str) -> Callable[[], None]:
    """Drop ``trigger`` (SQLite, when present) and return what puts it back as it was; call it
    before the transaction commits. The caller does the trigger's work itself meanwhile."""
    if conn.dialect.name != "sqlite":
        return lambda: None
    trigger_sql = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"), {"name": trigger}
    ).scalar()
    if trigger_sql is None:
        return lambda: None
    conn.exec_driver_sql(f'DROP TRIGGER "{trigger}"')

    def restore() -> None:
        conn.exec_driver_sql(trigger_sql)  # (not text(): a colon in the SQL is no parameter)

    return restore


def defer_trigger(conn: Connection, trigger: str, table: str, catch_up: str) -> Callable[[], None]:
    """Drop ``trigger`` (SQLite, when present) and return what runs ``catch_up`` (SQL with a
    ``:before`` parameter: the largest id of ``table`` now) and restores the trigger; call it
    before the transaction commits. PostgreSQL's statement triggers need nothing."""
    if (
        conn.dialect.name != "sqlite"
        or not conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = :name"), {"name": trigger}
        ).first()
    ):
        return lambda: None
    before = conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
    restore = set_aside_trigger(conn, trigger)

    def finish() -> None:
        conn.execute(text(catch_up), {"before": before})
        restore()

    return finish
