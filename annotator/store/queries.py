"""Hot-path reads through the driver: plain tuples, no Row objects.

A document's 60,000 spans come back in ~70 ms this way; through SQLAlchemy Rows, building the
rows and unpacking them again cost several times that (benchmarks/bench_review.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

SPAN_COLUMNS = 'id, document_id, annotator_id, label_id, start, "end", note'


def _sql(conn: Connection, template: str) -> str:
    return template if conn.dialect.paramstyle == "qmark" else template.replace("?", "%s")


def span_rows(conn: Connection, document_id: int, annotator_id: int | None = None) -> list[tuple[Any, ...]]:
    """(id, document_id, annotator_id, label_id, start, end, note) ordered by start, end, id."""
    where, params = "document_id = ?", [document_id]
    if annotator_id is not None:
        where += " AND annotator_id = ?"
        params.append(annotator_id)
    sql = _sql(conn, f'SELECT {SPAN_COLUMNS} FROM span WHERE {where} ORDER BY start, "end", id')
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()
