"""Keeping the search index of migration 0009 in step during a bulk import (SQLite).

The index's insert trigger costs about 0.5 ms per document (2.7 s per 5,000), where one
``INSERT … SELECT`` over the batch takes 0.4 s. An import drops the trigger inside its write
transaction, indexes the documents it added in one statement at the end, and puts the trigger back
as it was. Everything happens in the one transaction, which holds SQLite's write lock: no other
writer ever sees the trigger missing, and a failed import rolls all of it back."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

TRIGGER = "document_search_insert"


def defer_indexing(conn: Connection) -> Callable[[], None]:
    """Drop the insert trigger (SQLite, when present) and return what indexes the new documents
    and restores it; call it before the transaction commits. PostgreSQL's indexes need nothing."""
    if conn.dialect.name != "sqlite":
        return lambda: None
    trigger_sql = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"), {"name": TRIGGER}
    ).scalar()
    if trigger_sql is None:
        return lambda: None
    # New documents get ids above the largest one (the writer counts them from there).
    before = conn.execute(text("SELECT coalesce(max(id), 0) FROM document")).scalar_one()
    conn.execute(text(f"DROP TRIGGER {TRIGGER}"))

    def finish() -> None:
        conn.execute(
            text(
                "INSERT INTO document_search(rowid, title, text) "
                "SELECT id, title, text FROM document WHERE id > :before"
            ),
            {"before": before},
        )
        conn.execute(text(trigger_sql))

    return finish
