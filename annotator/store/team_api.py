"""A team member's way to spans and statuses on PostgreSQL: functions, never the tables.

Migration 0005 gives team members no privileges on ``span``, ``document_status`` or the
sequences; they read through the views in the schema ``annotator_api`` (SECURITY DEFINER
functions that return only the rows the caller may see, under the tables' names, so every read
query of the services runs unchanged with ``search_path = annotator_api, public``) and write
through the functions below, which choose the ids themselves and raise when a row is not the
caller's to write. The owner (who owns the tables) keeps using the tables directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Column, Connection, Engine, Integer, event, func, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.selectable import TableValuedAlias

from annotator.store.errors import StoreError

API_SCHEMA = "annotator_api"


def is_team_member(engine: Engine) -> bool:
    """PostgreSQL: whether this connection's role is not the owner of the tables (nor a member of
    the owning role, nor a superuser), so it must use the functions. False on SQLite."""
    if engine.dialect.name != "postgresql":
        return False
    try:
        with engine.connect() as conn:
            owner = conn.execute(
                text(
                    "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
                    "WHERE c.oid = to_regclass(quote_ident(current_schema()) || '.span')"
                )
            ).scalar()
            conn.rollback()
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the database: {exc.orig}") from None
    return owner is False


def read_through_views(engine: Engine) -> None:
    """Every new connection of this engine resolves ``span`` and ``document_status`` to the views."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.autocommit = True
        dbapi_conn.execute(f"SET search_path = {API_SCHEMA}, public")
        dbapi_conn.autocommit = False

    engine.dispose()  # connections made before would still read the tables


def _one(conn: Connection, sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(conn.execute(text(sql), params).one())


SPAN_FIELDS = 'id, document_id, annotator_id, label_id, start, "end", note'


def add_span(
    conn: Connection, doc: int, ann: int, label: int, start: int, end: int, note: str | None
) -> tuple[Any, ...]:
    """(id, document_id, annotator_id, label_id, start, end, note) of the new span."""
    return _one(
        conn,
        f"SELECT {SPAN_FIELDS} FROM annotator_add_span(:d, :a, :l, :s, :e, :n)",
        {"d": doc, "a": ann, "l": label, "s": start, "e": end, "n": note},
    )


def delete_span(conn: Connection, span_id: int) -> tuple[Any, ...]:
    return _one(conn, f"SELECT {SPAN_FIELDS} FROM annotator_delete_span(:i)", {"i": span_id})


def update_span(
    conn: Connection,
    span_id: int,
    *,
    label: int | None = None,
    note: str | None = None,
    change_note: bool = False,
) -> tuple[Any, ...]:
    return _one(
        conn,
        f"SELECT {SPAN_FIELDS} FROM annotator_update_span(:i, :l, :n, :c)",
        {"i": span_id, "l": label, "n": note, "c": change_note},
    )


def set_status(conn: Connection, doc: int, ann: int, status: str, *, forward_only: bool = False) -> int:
    """1 when written; 0 when forward_only kept a later stored status."""
    return int(
        conn.execute(
            text("SELECT annotator_set_status(:d, :a, :s, :f)"),
            {"d": doc, "a": ann, "s": status, "f": forward_only},
        ).scalar_one()
    )


def import_spans(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    """rows: (document, annotator, label, start, end, note); all the caller's, or it raises."""
    return int(
        conn.execute(
            text("SELECT annotator_import_spans(CAST(:rows AS jsonb))"), {"rows": orjson.dumps(rows).decode()}
        ).scalar_one()
    )


def reserve_document_ids(conn: Connection, count: int) -> list[int]:
    return [
        int(i)
        for i in conn.execute(text("SELECT annotator_reserve_document_ids(:n)"), {"n": count}).scalars()
    ]


def import_documents(conn: Connection, documents: Sequence[tuple[Any, ...]]) -> None:
    """documents: (id, uid, title, text, sha256, meta, position), ids from reserve_document_ids."""
    conn.execute(
        text("SELECT annotator_import_documents(CAST(:rows AS jsonb))"),
        {"rows": orjson.dumps([list(d) for d in documents]).decode()},
    )


def sign_up(conn: Connection, name: str) -> tuple[int, str, str]:
    """The caller's own annotator row (id, name, role), created as a plain annotator if new."""
    return _one(conn, "SELECT id, name, role FROM annotator_sign_up(:n)", {"n": name})  # type: ignore[return-value]


def grant_role(conn: Connection, name: str, role: str) -> tuple[int, str, str]:
    """A supervisor (or the owner) gives NAME the role (migration 0008); the database refuses
    anyone else, an unknown name, the gold layer and revoking the last supervisor, and this
    raises its message as an AnnotatorError-worthy StoreError."""
    try:
        with conn.begin_nested():
            return _one(
                conn, "SELECT id, name, role FROM annotator_grant_role(:n, :r)", {"n": name, "r": role}
            )  # type: ignore[return-value]
    except DBAPIError as exc:
        message = str(exc.orig).splitlines()[0].strip()
        raise StoreError(f"{message}. Nothing was changed") from None


def gold(conn: Connection) -> tuple[int, str, str]:
    return _one(conn, "SELECT id, name, role FROM annotator_gold()", {})  # type: ignore[return-value]


def save_label(conn: Connection, label_id: int | None, fields: dict[str, Any]) -> int:
    """Adds (label_id None) or overwrites a label; returns its id."""
    return int(
        conn.execute(
            text(
                "SELECT id FROM annotator_save_label(:i, :name, :color, :hotkey, :description, :position, :archived)"
            ),
            {"i": label_id, **fields},
        ).scalar_one()
    )


def fingerprint(conn: Connection, document_id: int | None) -> tuple[Any, ...]:
    return _one(conn, "SELECT * FROM annotator_fingerprint(:d)", {"d": document_id})


def document_spans_sql() -> str:
    """The driver-level query for one document's spans (queries.span_rows), through the function."""
    return f'SELECT {SPAN_FIELDS} FROM annotator_document_spans(?, ?) ORDER BY start, "end", id'


def span_counts(annotator_id: int) -> TableValuedAlias:
    """(document_id, n): one annotator's spans per document, a FROM item for the document list."""
    return func.annotator_span_counts(annotator_id).table_valued(
        Column("document_id", Integer), Column("n", Integer), name="counts"
    )
