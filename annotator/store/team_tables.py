"""The tables of supervising a team (issue 13): assignments of documents to annotators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from annotator.store.tables import utcnow


class Assignment(SQLModel, table=True):
    """Document in an annotator's queue at ``position``; ``sample``: part of the agreement sample
    (every chosen annotator has it); ``batch``: the rule run or hand assignment that made it."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("annotator_id", "document_id", name="uq_assignment"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    position: int
    batch: str = Field(default="", max_length=200)
    sample: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class SpanTally(SQLModel, table=True):
    """Spans per annotator, label and creation hour (UTC, "YYYY-MM-DD HH"), kept by triggers on
    span (migration 0008) for the Team view; n may reach 0 after deletions."""

    __tablename__ = "span_tally"

    annotator_id: int = Field(primary_key=True)
    label_id: int = Field(primary_key=True)
    hour: str = Field(primary_key=True, max_length=13)
    n: int
