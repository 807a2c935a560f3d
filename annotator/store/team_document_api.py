"""A team member's way to document labels, comments and guideline versions on PostgreSQL
(migration 0007, following 0005's pattern: the tables are read through views, written only
through SECURITY DEFINER functions that check the caller)."""

from __future__ import annotations

from sqlalchemy import Connection, text


def set_document_label(conn: Connection, doc: int, ann: int, label: int, present: bool) -> int:
    return int(
        conn.execute(
            text("SELECT annotator_set_document_label(:d, :a, :l, :p)"),
            {"d": doc, "a": ann, "l": label, "p": present},
        ).scalar_one()
    )


def set_document_comment(conn: Connection, doc: int, ann: int, body: str | None) -> None:
    conn.execute(text("SELECT annotator_set_document_comment(:d, :a, :b)"), {"d": doc, "a": ann, "b": body})


def record_guideline(conn: Connection, label: int, description: str) -> int:
    return int(
        conn.execute(
            text("SELECT annotator_record_guideline(:l, :b)"), {"l": label, "b": description}
        ).scalar_one()
    )


def save_label_kind(conn: Connection, label: int, kind: str, label_set: str, multiple: bool) -> None:
    conn.execute(
        text("SELECT annotator_save_label_kind(:l, :k, :s, :m)"),
        {"l": label, "k": kind, "s": label_set, "m": multiple},
    )
