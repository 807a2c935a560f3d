"""Hot-path reads through the driver: plain tuples, no Row objects.

A document's 60,000 spans come back in ~70 ms this way; through SQLAlchemy Rows, building the
rows and unpacking them again cost several times that (benchmarks/bench_review.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from annotator.store.team_api import document_spans_sql

SPAN_COLUMNS = 'id, document_id, annotator_id, label_id, start, "end", note'


def _sql(conn: Connection, template: str) -> str:
    return template if conn.dialect.paramstyle == "qmark" else template.replace("?", "%s")


def span_rows(
    conn: Connection, document_id: int, annotator_id: int | None = None, *, team_member: bool = False
) -> list[tuple[Any, ...]]:
    """(id, document_id, annotator_id, label_id, start, end, note) ordered by start, end, id.
    team_member: through the function of migration 0005 (store/team_api.py), not the table."""
    where, params = "document_id = ?", [document_id]
    if team_member:
        params.append(annotator_id)  # type: ignore[arg-type]
        sql = _sql(conn, document_spans_sql())
    else:
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
