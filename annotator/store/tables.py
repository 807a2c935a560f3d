"""SQLModel tables (DESIGN.md section 3). Offsets are code point offsets into Document.text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Document(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, index=True, max_length=512)
    title: str = ""
    text: str
    sha256: str = Field(max_length=64, index=True)
    length: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # code points
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    position: int = Field(default=0, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Label(SQLModel, table=True):
    __tablename__ = "label"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    color: str = Field(max_length=9)
    hotkey: str | None = Field(default=None, max_length=1)
    description: str = ""
    position: int = 0
    archived: bool = False
    kind: str = Field(
        default="span", max_length=10, sa_column_kwargs={"server_default": "span"}
    )  # span | document
    label_set: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    multiple: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})  # its set: multi-choice


class Annotator(SQLModel, table=True):
    __tablename__ = "annotator"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    role: str = Field(default="annotator", max_length=20)  # annotator | supervisor | gold


class Span(SQLModel, table=True):
    __tablename__ = "span"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", "label_id", "start", "end", name="uq_span"),
        CheckConstraint('0 <= start AND start < "end"', name="ck_span_offsets"),
        # uq_span's index (document, annotator, label, start, end) serves lookups by document
        # and by document + annotator; a separate index on those would only slow imports.
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", index=True, ondelete="CASCADE")
    # No index on label_id: labels are archived, never deleted, and the index cost imports 15%.
    label_id: int = Field(foreign_key="label.id")
    start: int
    end: int
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DocumentStatus(SQLModel, table=True):
    __tablename__ = "document_status"

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", primary_key=True, index=True, ondelete="CASCADE")
    status: str = Field(default="todo", max_length=20)  # todo | in_progress | done
    updated_at: datetime = Field(default_factory=utcnow)
    # The guideline version in force when the status became done (a trigger sets it, migration 0007).
    guidelines_version: int | None = None


class DocumentLabel(SQLModel, table=True):
    """A label one annotator gave a whole document (a label of kind "document")."""

    __tablename__ = "document_label"

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", primary_key=True, index=True, ondelete="CASCADE")
    label_id: int = Field(foreign_key="label.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)


class DocumentComment(SQLModel, table=True):
    """One annotator's comment on a document (a question for the supervisor)."""

    __tablename__ = "document_comment"

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", primary_key=True, index=True, ondelete="CASCADE")
    text: str
    updated_at: datetime = Field(default_factory=utcnow)


class GuidelineVersion(SQLModel, table=True):
    """One change of a label's description; the version in force is the newest id."""

    __tablename__ = "guideline_version"

    id: int | None = Field(default=None, primary_key=True)
    label_id: int = Field(foreign_key="label.id")
    label_name: str = Field(max_length=200)
    description: str
    author: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


# The suggestion tables (migration 0006) belong to the same metadata.
from annotator.store.suggestions import models as _suggestion_models  # noqa: E402, F401
