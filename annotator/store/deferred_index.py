"""Secondary indexes set aside for the length of one large bulk import (SQLite).

A million spans inserted one by one into ``ix_span_annotator_id`` (and a hundred thousand documents
into the four document indexes) cost about as much as storing the rows themselves: each insert
walks and splits a B-tree. Building the index once at the end, from a sorted pass over the table,
costs a fraction of that. It only pays when the import adds many rows relative to what the table
already holds (the rebuild reads the whole table), so the caller decides from the file's size.

Like store/deferred_trigger.py, everything happens inside the import's write transaction, which
holds SQLite's write lock: no other writer sees the indexes missing (readers keep their snapshot,
indexes and all), and a failed import rolls the drop back with the rows (SQLite DDL is
transactional). Only indexes created with ``CREATE INDEX`` are set aside; those behind a PRIMARY
KEY or UNIQUE constraint (``uq_span``, which the span insert's ON CONFLICT relies on) stay.
A UNIQUE index is checked again when it is re-created: a duplicate fails the import."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, text

# The tables a bulk import writes many rows to.
BULK_TABLES = ("document", "span", "document_status")
MIN_ROWS = 1000  # below this, dropping and re-creating costs more than it saves


def worth_setting_aside(incoming: int, stored: int) -> bool:
    """Whether an import of ``incoming`` documents into a table of ``stored`` should rebuild the
    indexes: when it (at most) doubles the table and is not tiny."""
    return incoming >= MIN_ROWS and incoming >= stored


def set_aside_indexes(conn: Connection, tables: Sequence[str] = BULK_TABLES) -> Callable[[], None]:
    """Drop the tables' own secondary indexes (SQLite) and return what re-creates them, each from
    its original SQL, in their original order; call it before the transaction commits."""
    if conn.dialect.name != "sqlite":
        return lambda: None
    marks = ", ".join(f":t{i}" for i in range(len(tables)))
    indexes = conn.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY rowid"
        ),
        {f"t{i}": t for i, t in enumerate(tables)},
    ).all()
    for name, _ in indexes:
        conn.exec_driver_sql('DROP INDEX "{}"'.format(name.replace('"', '""')))

    def restore() -> None:
        for _, sql in indexes:
            conn.exec_driver_sql(sql)  # (not text(): a colon in the SQL is no parameter)

    return restore
