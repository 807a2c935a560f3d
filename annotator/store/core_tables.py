"""The columns that readers and writers of many rows (export, import) use, as light SQLAlchemy
Core tables.

They name the same tables as tables.py (a test checks every column is there) without the ORM and
pydantic that SQLModel imports, ~0.2 s of a command's start-up."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, column, table

document_t = table(
    "document",
    column("id", Integer),
    column("uid", String),
    column("title", String),
    column("text", String),
    column("sha256", String),
    column("length", Integer),
    column("meta", JSON),
    column("position", Integer),
    column("created_at", DateTime),
)
span_t = table(
    "span",
    column("document_id", Integer),
    column("annotator_id", Integer),
    column("label_id", Integer),
    column("start", Integer),
    column("end", Integer),
    column("note", String),
    column("created_at", DateTime),
    column("updated_at", DateTime),
)
status_t = table(
    "document_status",
    column("document_id", Integer),
    column("annotator_id", Integer),
    column("status", String),
    column("updated_at", DateTime),
    column("guidelines_version", Integer),
)
label_t = table(
    "label",
    column("id", Integer),
    column("name", String),
    column("color", String),
    column("hotkey", String),
    column("description", String),
    column("archived", Boolean),
    column("position", Integer),
    column("kind", String),
    column("label_set", String),
    column("multiple", Boolean),
)
document_label_t = table(
    "document_label",
    column("document_id", Integer),
    column("annotator_id", Integer),
    column("label_id", Integer),
    column("created_at", DateTime),
)
comment_t = table(
    "document_comment",
    column("document_id", Integer),
    column("annotator_id", Integer),
    column("text", String),
    column("updated_at", DateTime),
)
annotator_t = table("annotator", column("id", Integer), column("name", String), column("role", String))
