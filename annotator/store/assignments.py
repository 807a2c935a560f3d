"""Assignment rows at the driver level: whole plans are written in one statement per part.

On PostgreSQL every write goes through migration 0008's function ``annotator_write_assignments``
(supervisors and the owner only; the database says no to anyone else), and a team member reads
through the view ``annotator_api.assignment`` (their own rows only), which the connection's
search_path already puts first. On SQLite the rows travel as one JSON array, as in bulk.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, text

from annotator.store.bulk import driver_of, sqlite_stamp

# (document, annotator, position, batch, sample)
Added = tuple[int, int, int, str, bool]

SQLITE_DELETE = """
DELETE FROM assignment WHERE (document_id, annotator_id) IN (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))
"""
SQLITE_UPSERT = """
INSERT INTO assignment (document_id, annotator_id, position, batch, sample, created_at)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
       json_extract(value, '$[3]'), json_extract(value, '$[4]'), ?1
FROM json_each(?2)
WHERE true
ON CONFLICT (annotator_id, document_id) DO UPDATE
SET position = excluded.position, batch = excluded.batch, sample = excluded.sample
"""


def write(
    conn: Connection, removed: Sequence[tuple[int, int]], added: Sequence[Added], when: datetime
) -> None:
    """Delete the (document, annotator) pairs ``removed``, then add or update ``added``."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT annotator_write_assignments(CAST(:r AS jsonb), CAST(:a AS jsonb))"),
            {"r": orjson.dumps(list(removed)).decode(), "a": orjson.dumps(list(added)).decode()},
        )
        return
    driver = driver_of(conn)
    if removed:
        driver.execute(SQLITE_DELETE, (orjson.dumps(list(removed)),)).close()
    if added:
        rows = [(d, a, p, b, int(s)) for d, a, p, b, s in added]
        driver.execute(SQLITE_UPSERT, (sqlite_stamp(conn, when), orjson.dumps(rows))).close()


def _fetch(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Plain tuples from the driver (queries.py does the same): a plan reads 100,000s of rows,
    and SQLAlchemy Rows cost more than the query, hashed into sets even more."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = driver_of(conn).cursor()
    try:
        cursor.execute(sql, tuple(params))
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def rows(conn: Connection, annotator_id: int | None = None) -> list[tuple[Any, ...]]:
    """(document, annotator, position, batch, sample) of everyone the caller may see, or of one."""
    sql = "SELECT document_id, annotator_id, position, batch, sample FROM assignment"
    if annotator_id is None:
        return _fetch(conn, sql + " ORDER BY annotator_id, position")
    return _fetch(conn, sql + " WHERE annotator_id = ? ORDER BY position", (annotator_id,))


def placed(conn: Connection) -> list[tuple[int, int, int, bool]]:
    """(document, annotator, position, sample) of every stored assignment (what re-planning
    compares with; without the batch text, a third of the reading time)."""
    return [
        (d, a, p, bool(s))
        for d, a, p, s in _fetch(conn, "SELECT document_id, annotator_id, position, sample FROM assignment")
    ]


def worked_pairs(conn: Connection) -> set[tuple[int, int]]:
    """(document, annotator) pairs with work on them: a span, or a status past 'todo'."""
    pairs = set(_fetch(conn, "SELECT document_id, annotator_id FROM document_status WHERE status <> 'todo'"))
    pairs.update(_fetch(conn, "SELECT DISTINCT document_id, annotator_id FROM span"))
    return pairs


def document_lengths(conn: Connection) -> list[tuple[int, int]]:
    """(id, length) of every document, in corpus order."""
    return _fetch(conn, "SELECT id, length FROM document ORDER BY position, id")  # type: ignore[return-value]


def holdings(conn: Connection, documents: Sequence[int]) -> tuple[dict[int, int], dict[int, int]]:
    """For a selection of documents: annotator -> how many of them are in their queue, and
    annotator -> how many of them they worked on (a span, or a status past 'todo')."""
    assigned: dict[int, int] = {}
    worked: dict[int, int] = {}
    ids = sorted({int(d) for d in documents})
    for part in range(0, len(ids), 500):  # disjoint chunks: the counts add up
        marks = ", ".join(str(d) for d in ids[part : part + 500])
        for ann, n in _fetch(
            conn, f"SELECT annotator_id, count(*) FROM assignment WHERE document_id IN ({marks}) GROUP BY 1"
        ):
            assigned[ann] = assigned.get(ann, 0) + n
        query = (
            "SELECT annotator_id, count(*) FROM ("
            f"SELECT document_id, annotator_id FROM document_status WHERE status <> 'todo' AND document_id IN ({marks})"
            f" UNION SELECT document_id, annotator_id FROM span WHERE document_id IN ({marks})) w GROUP BY 1"
        )
        for ann, n in _fetch(conn, query):
            worked[ann] = worked.get(ann, 0) + n
    return assigned, worked


def existing_documents(conn: Connection, documents: Sequence[int]) -> list[int]:
    """Which of these document ids exist."""
    ids = sorted({int(d) for d in documents})
    found: list[int] = []
    for part in range(0, len(ids), 500):
        marks = ", ".join(str(d) for d in ids[part : part + 500])
        found += [d for (d,) in _fetch(conn, f"SELECT id FROM document WHERE id IN ({marks})")]
    return found
