"""Bulk writes for imports at the driver level: each batch is one statement, so the database does
the work in C (SQLite) or in the server (PostgreSQL COPY) outside the GIL, while the importing
thread parses the next batch.

Binding 300,000 x 8 values one by one from Python took longer than SQLite parsing them from one
JSON array; and executemany hands the GIL back and forth with the parsing thread at every row
(documents bound that way made a 100,000-document import 50% slower in wall time, for less CPU).
One exception: SQLite's JSON functions cut a string at an escaped NUL (\\u0000), so rows with a
NUL in a string go through plain parameters instead (they are rare).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, text
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.exc import OperationalError

from annotator.store.core_tables import document_t, span_t
from annotator.store.errors import StoreError

SPAN_COLUMNS = 'document_id, annotator_id, label_id, start, "end", note, created_at, updated_at'
DOCUMENT_COLUMNS = "id, uid, title, text, sha256, meta, position, length, created_at"
COPY_PIECE = 5000  # rows per COPY write: the server stores one piece while the next is formatted

# A span row is (document_id, annotator_id, label_id, start, end, note). Spans already stored are
# skipped by the unique key; of two equal spans the first is kept. "WHERE true" is SQLite's
# documented way to let ON CONFLICT follow INSERT ... SELECT.
SQLITE_INSERT_SPANS = f"""
INSERT INTO span ({SPAN_COLUMNS})
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
       json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'), ?1, ?1
FROM json_each(?2)
WHERE true
ON CONFLICT DO NOTHING
"""
SQLITE_INSERT_SPAN_ROW = (
    f"INSERT INTO span ({SPAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)
# A document row is (id, uid, title, text, sha256, meta, position, length); json_extract gives an
# object (meta) back as its JSON text, which is how SQLAlchemy stores a JSON column in SQLite.
SQLITE_INSERT_DOCUMENTS = f"""
INSERT INTO document ({DOCUMENT_COLUMNS})
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
       json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'),
       json_extract(value, '$[6]'), json_extract(value, '$[7]'), ?1
FROM json_each(?2)
"""
SQLITE_INSERT_DOCUMENT_ROW = f"INSERT INTO document ({DOCUMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


def sqlite_stamp(conn: Connection, when: datetime) -> str:
    """The exact string SQLAlchemy stores for a DateTime in SQLite (naive UTC)."""
    return SQLITE_DATETIME().bind_processor(conn.dialect)(when.replace(tzinfo=None))  # type: ignore[no-any-return]


def driver_of(conn: Connection) -> Any:
    return conn.connection.driver_connection


def _has_nul(*values: Any) -> bool:
    return any(type(v) is str and "\x00" in v for v in values)


def insert_documents_sqlite(conn: Connection, documents: Sequence[tuple[Any, ...]], stamp: str) -> None:
    """documents: (id, uid, title, text, sha256, meta, position) each."""
    rows = [(*d, len(d[3])) for d in documents]
    plain = [r for r in rows if not _has_nul(r[1], r[2], r[3])]
    driver = driver_of(conn)
    if plain:
        driver.execute(SQLITE_INSERT_DOCUMENTS, (stamp, orjson.dumps(plain))).close()
    if len(plain) < len(rows):
        driver.executemany(
            SQLITE_INSERT_DOCUMENT_ROW,
            [
                (*r[:5], orjson.dumps(r[5]).decode(), *r[6:], stamp)
                for r in rows
                if _has_nul(r[1], r[2], r[3])
            ],
        )


def insert_spans_sqlite(conn: Connection, rows: Sequence[tuple[Any, ...]], stamp: str) -> int:
    """Returns how many spans were added (the others were already stored)."""
    driver = driver_of(conn)
    added = 0  # rows the statements inserted (rowcount), not total_changes, which counts triggers' rows too
    plain = [r for r in rows if r[5] is None or "\x00" not in r[5]]
    if plain:
        cursor = driver.execute(SQLITE_INSERT_SPANS, (stamp, orjson.dumps(plain)))
        added += cursor.rowcount
        cursor.close()
    if len(plain) < len(rows):
        cursor = driver.executemany(
            SQLITE_INSERT_SPAN_ROW, [(*r, stamp, stamp) for r in rows if _has_nul(r[5])]
        )
        added += cursor.rowcount
        cursor.close()
    return added


# Status rows are (document_id, annotator_id, status). A "done" status records the guidelines
# version in force, which the caller reads and passes (the import sets migration 0007's insert
# trigger aside: its UPDATE per row took 3 of the 30 s of a 100,000-document import).
GUIDELINES_TRIGGER = "document_status_guidelines_insert"
SQLITE_INSERT_STATUSES = """
INSERT INTO document_status (document_id, annotator_id, status, updated_at, guidelines_version)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), ?1,
       CASE WHEN json_extract(value, '$[2]') = 'done' THEN ?2 END
FROM json_each(?3)
"""


def insert_statuses_sqlite(
    conn: Connection, rows: Sequence[tuple[int, int, str]], stamp: str, guidelines: int | None
) -> None:
    """New document_status rows (document_id, annotator_id, status), all stamped ``stamp``; the
    done ones with the guidelines version ``guidelines``."""
    driver_of(conn).execute(SQLITE_INSERT_STATUSES, (stamp, guidelines, orjson.dumps(rows))).close()


def copy_text(value: Any) -> str:
    """A value in PostgreSQL COPY text format: \\N for NULL, with backslash escapes."""
    if value is None:
        return "\\N"
    if type(value) is not str:
        return str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_documents(conn: Connection, documents: Sequence[tuple[Any, ...]], when: datetime) -> None:
    stamp = when.isoformat()
    lines = [
        "\t".join(
            (
                str(doc_id),
                copy_text(uid),
                copy_text(title),
                copy_text(body),
                sha,
                copy_text(orjson.dumps(meta).decode()),
                str(position),
                str(len(body)),
                stamp,
            )
        )
        + "\n"
        for doc_id, uid, title, body, sha, meta, position in documents
    ]
    with (
        driver_of(conn).cursor() as cursor,
        cursor.copy(f"COPY document ({DOCUMENT_COLUMNS}) FROM STDIN") as copy,
    ):
        copy.write("".join(lines))


def copy_spans(conn: Connection, rows: Sequence[tuple[Any, ...]], when: datetime) -> None:
    """rows: (document_id, annotator_id, label_id, start, end, note) each."""
    tail = f"\t{when.isoformat()}\t{when.isoformat()}\n"
    with driver_of(conn).cursor() as cursor, cursor.copy(f"COPY span ({SPAN_COLUMNS}) FROM STDIN") as copy:
        for i in range(0, len(rows), COPY_PIECE):
            # COPY's text format written directly: a third of the time of psycopg's write_row.
            copy.write(
                "".join(
                    f"{d}\t{a}\t{lab}\t{s}\t{e}\t{copy_text(note)}{tail}"
                    for d, a, lab, s, e, note in rows[i : i + COPY_PIECE]
                )
            )


def insert_documents(conn: Connection, documents: Sequence[tuple[Any, ...]], when: datetime) -> None:
    """Plain INSERTs, for a role that row-level security applies to (PostgreSQL has no COPY then)."""
    conn.execute(
        insert(document_t),
        [
            {
                "id": i,
                "uid": u,
                "title": t,
                "text": b,
                "sha256": h,
                "meta": m,
                "position": p,
                "length": len(b),
                "created_at": when,
            }
            for i, u, t, b, h, m, p in documents
        ],
    )


def insert_spans(conn: Connection, rows: Sequence[tuple[Any, ...]], when: datetime) -> None:
    """Plain INSERTs, for a role that row-level security applies to (PostgreSQL has no COPY then)."""
    conn.execute(
        insert(span_t),
        [
            {
                "document_id": d,
                "annotator_id": a,
                "label_id": lab,
                "start": s,
                "end": e,
                "note": n,
                "created_at": when,
                "updated_at": when,
            }
            for d, a, lab, s, e, n in rows
        ],
    )


def row_security_applies(conn: Connection) -> bool:
    """Whether PostgreSQL's row-level security filters this role's imports (COPY refuses then)."""
    return bool(
        conn.execute(text("SELECT row_security_active('span') OR row_security_active('document')")).scalar()
    )


def lock_documents(conn: Connection, ids: list[int]) -> int:
    """Lock these stored documents FOR KEY SHARE (as PostgreSQL's foreign-key triggers do), so
    they cannot be deleted before the transaction ends; returns how many still exist."""
    found = conn.execute(
        text("SELECT count(*) FROM (SELECT 1 FROM document WHERE id = ANY(:ids) FOR KEY SHARE) AS locked"),
        {"ids": ids},
    ).scalar_one()
    return int(found)


def reserve_document_ids(conn: Connection, count: int) -> list[int]:
    """PostgreSQL: ids for new documents from the table's own sequence (unused ones leave a gap)."""
    return list(
        conn.execute(
            text("SELECT nextval(pg_get_serial_sequence('document', 'id')) FROM generate_series(1, :n)"),
            {"n": count},
        ).scalars()
    )


IMPORT_LOCK_WAIT_S = 30.0  # how long an import waits for another one before it gives up
IMPORT_LOCK_HOLDER = """
SELECT l.pid, coalesce(a.usename::text, '?'), coalesce(a.state, '?')
FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'relation' AND l.relation = 'annotator_import_lock'::regclass AND l.granted
  AND l.pid <> pg_backend_pid()
LIMIT 1
"""


def take_import_lock(conn: Connection, *, team_member: bool, wait_s: float | None = None) -> None:
    """PostgreSQL: imports take turns (two files with the same new document would otherwise both
    insert it). The turn is a lock on the table annotator_import_lock (migration 0005), which only
    the owner (and supervisors, through a function) can take; held until the transaction ends.
    Waits at most wait_s, then refuses with who holds it."""
    wait = IMPORT_LOCK_WAIT_S if wait_s is None else wait_s
    previous = conn.execute(text("SELECT current_setting('lock_timeout')")).scalar_one()
    conn.execute(text("SELECT set_config('lock_timeout', :v, true)"), {"v": f"{max(1, int(wait * 1000))}ms"})
    try:
        with conn.begin_nested():  # a timeout rolls back to here, leaving the transaction usable
            if team_member:
                conn.execute(text("SELECT annotator_lock_imports()"))
            else:
                conn.execute(text("LOCK TABLE annotator_import_lock IN EXCLUSIVE MODE"))
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        holder = conn.execute(text(IMPORT_LOCK_HOLDER)).first()
        who = (
            f"pid {holder[0]}, role {holder[1]}, {holder[2]}" if holder else "a session that has ended since"
        )
        end = f"SELECT pg_terminate_backend({holder[0]})" if holder else "pg_terminate_backend"
        raise StoreError(
            f"another session holds the import lock ({who}) and kept it for {wait:g} s; nothing was "
            "imported. Try again when it is done; if it is not an import, the database's owner can "
            f"end that session ({end})"
        ) from None
    conn.execute(text("SELECT set_config('lock_timeout', :v, true)"), {"v": previous})
