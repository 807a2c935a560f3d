"""Reads and writes of suggestions, rejections and the suggestion policy.

The owner of a database (and every SQLite user) uses the tables; a team member on PostgreSQL
reads the views of migration 0006 (under the same names, through ``search_path``) and writes
through its functions, which check the caller. Offsets are code points (DESIGN.md section 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, and_, delete, insert, or_, select, text, update

from annotator.store.suggestions.tables import policy_t, rejection_t, suggestion_t
from annotator.store.tables import utcnow


class SuggestionRow(NamedTuple):
    id: int
    document_id: int
    label_id: int
    start: int
    end: int
    score: float
    source: str
    version: str
    annotator_id: int | None
    from_others: bool


class NewSuggestion(NamedTuple):
    label_id: int
    start: int
    end: int
    score: float
    version: str


class Policy(NamedTuple):
    show_others: bool = False
    train_on_gold: bool = False


_COLUMNS = [
    suggestion_t.c.id,
    suggestion_t.c.document_id,
    suggestion_t.c.label_id,
    suggestion_t.c.start,
    suggestion_t.c.end,
    suggestion_t.c.score,
    suggestion_t.c.source,
    suggestion_t.c.version,
    suggestion_t.c.annotator_id,
    suggestion_t.c.from_others,
]


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


def visible(
    conn: Connection,
    document_id: int,
    annotator_id: int,
    min_score: float,
    show_others: bool,
    source: str | None = None,
) -> list[SuggestionRow]:
    """The suggestions of one document that this annotator may see, best first. On a team
    database the view already left out what the caller may not see; the same conditions here
    make them hold for the owner and on SQLite too."""
    s = suggestion_t.c
    query = select(*_COLUMNS).where(
        s.document_id == document_id,
        s.score >= min_score,
        or_(s.annotator_id.is_(None), s.annotator_id == annotator_id),
    )
    if not show_others:
        query = query.where(s.from_others.is_(False))
    if source is not None:
        query = query.where(s.source == source)
    query = query.order_by(s.start, s.end, s.score.desc(), s.id)
    return [SuggestionRow(*row) for row in conn.execute(query)]


def one(conn: Connection, suggestion_id: int) -> SuggestionRow | None:
    row = conn.execute(select(*_COLUMNS).where(suggestion_t.c.id == suggestion_id)).first()
    return SuggestionRow(*row) if row is not None else None


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
    stamp = utcnow()
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
                created_at=utcnow(),
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
