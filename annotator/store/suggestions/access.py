"""Reads and writes of suggestions, rejections and the suggestion policy.

The owner of a database (and every SQLite user) uses the tables; a team member on PostgreSQL
reads the views of migration 0006 (under the same names, through ``search_path``) and writes
through its functions, which check the caller. Offsets are code points (DESIGN.md section 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, and_, delete, insert, select, text, update

from annotator.store.suggestions.tables import policy_t, rejection_t, suggestion_t


class NewSuggestion(NamedTuple):
    label_id: int
    start: int
    end: int
    score: float
    version: str


class Policy(NamedTuple):
    show_others: bool = False
    train_on_gold: bool = False


def policy(conn: Connection) -> Policy:
    row = conn.execute(select(policy_t.c.show_others, policy_t.c.train_on_gold)).first()
    return Policy(bool(row[0]), bool(row[1])) if row is not None else Policy()


def set_policy(conn: Connection, value: Policy, *, team_member: bool) -> None:
    if team_member:
        conn.execute(
            text("SELECT annotator_set_suggestion_policy(:o, :g)"),
            {"o": value.show_others, "g": value.train_on_gold},
        )
        return
    conn.execute(
        update(policy_t)
        .where(policy_t.c.id == 1)
        .values(show_others=value.show_others, train_on_gold=value.train_on_gold)
    )


VISIBLE_SQL = (
    'SELECT id, document_id, label_id, start, "end", score, source, version FROM suggestion '
    "WHERE document_id = ? AND score >= ? AND (annotator_id IS NULL OR annotator_id = ?){others} "
    'ORDER BY start, "end", score DESC, id'
)


def visible(
    conn: Connection, document_id: int, annotator_id: int, min_score: float, show_others: bool
) -> list[tuple[Any, ...]]:
    """(id, document_id, label_id, start, end, score, source, version) of one document's
    suggestions this annotator may see, by position. On a team database the view already left out
    what the caller may not see; the same conditions here make them hold for the owner and on
    SQLite too. Plain driver tuples: a 2 MB document's thousands come back in a few ms."""
    sql = VISIBLE_SQL.format(others="" if show_others else " AND NOT from_others")
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, (document_id, min_score, annotator_id))
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def replace(
    conn: Connection,
    document_id: int,
    source: str,
    annotator_id: int | None,
    from_others: bool,
    rows: Sequence[NewSuggestion],
    *,
    team_member: bool,
) -> int:
    """Replace what ``source`` stored for this document and audience (annotator_id None: everyone)."""
    if team_member:
        return int(
            conn.execute(
                text("SELECT annotator_store_suggestions(:d, :s, :a, :o, CAST(:rows AS jsonb))"),
                {
                    "d": document_id,
                    "s": source,
                    "a": annotator_id,
                    "o": from_others,
                    "rows": orjson.dumps([list(r) for r in rows]).decode(),
                },
            ).scalar_one()
        )
    s = suggestion_t.c
    audience = s.annotator_id.is_(None) if annotator_id is None else s.annotator_id == annotator_id
    conn.execute(delete(suggestion_t).where(s.document_id == document_id, s.source == source, audience))
    if not rows:
        return 0
    stamp = datetime.now(UTC)  # (not store.tables' utcnow: that module loads SQLModel)
    conn.execute(
        insert(suggestion_t),
        [
            {
                "document_id": document_id,
                "label_id": r.label_id,
                "start": r.start,
                "end": r.end,
                "score": r.score,
                "source": source,
                "version": r.version,
                "annotator_id": annotator_id,
                "from_others": from_others,
                "created_at": stamp,
            }
            for r in rows
        ],
    )
    return len(rows)


def rejections(conn: Connection, annotator_id: int) -> list[tuple[int, str, int, int, int]]:
    """(label_id, phrase, document_id, start, end) of everything this annotator rejected."""
    r = rejection_t.c
    query = select(r.label_id, r.phrase, r.document_id, r.start, r.end).where(r.annotator_id == annotator_id)
    return [tuple(row) for row in conn.execute(query.order_by(r.id))]  # type: ignore[misc]


def reject(
    conn: Connection,
    annotator_id: int,
    document_id: int,
    label_id: int,
    start: int,
    end: int,
    phrase: str,
    *,
    team_member: bool,
) -> None:
    if team_member:  # the function records it for the caller, whoever annotator_id names
        conn.execute(
            text("SELECT annotator_reject_suggestion(:d, :l, :s, :e, :p)"),
            {"d": document_id, "l": label_id, "s": start, "e": end, "p": phrase},
        )
        return
    r = rejection_t.c
    exists = conn.execute(
        select(r.id).where(
            and_(
                r.annotator_id == annotator_id,
                r.document_id == document_id,
                r.label_id == label_id,
                r.start == start,
                r.end == end,
            )
        )
    ).first()
    if exists is None:
        conn.execute(
            insert(rejection_t).values(
                annotator_id=annotator_id,
                label_id=label_id,
                phrase=phrase,
                document_id=document_id,
                start=start,
                end=end,
                created_at=datetime.now(UTC),
            )
        )


def gold_spans(conn: Connection, *, team_member: bool) -> list[tuple[int, int, int, int]]:
    """(document_id, label_id, start, end) of the gold layer, when the caller may train on it."""
    if team_member:
        sql = 'SELECT document_id, label_id, start, "end" FROM annotator_gold_training_spans()'
        return [tuple(row) for row in conn.execute(text(sql))]  # type: ignore[misc]
    sql = (
        'SELECT s.document_id, s.label_id, s.start, s."end" FROM span s '
        "JOIN annotator a ON a.id = s.annotator_id WHERE a.role = 'gold'"
    )
    return [tuple(row) for row in conn.execute(text(sql))]  # type: ignore[misc]


def counts(conn: Connection) -> dict[str, Any]:
    """How many suggestions and rejections the caller can see (for messages and tests)."""
    n = conn.execute(text("SELECT count(*) FROM suggestion")).scalar_one()
    m = conn.execute(text("SELECT count(*) FROM suggestion_rejection")).scalar_one()
    return {"suggestions": int(n), "rejections": int(m)}
