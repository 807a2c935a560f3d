"""The suggestion tables of migration 0006 as SQLModel models, so SQLModel.metadata describes the
whole schema (tests/store/test_database.py compares it with what the migrations make). The
services read and write these tables through the Core tables in tables.py and access.py."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class SuggestionModel(SQLModel, table=True):
    __tablename__ = "suggestion"
    __table_args__ = (
        CheckConstraint('0 <= start AND start < "end"', name="ck_suggestion_offsets"),
        CheckConstraint("0 <= score AND score <= 1", name="ck_suggestion_score"),
        Index("ix_suggestion_document", "document_id", "source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    label_id: int = Field(foreign_key="label.id", ondelete="CASCADE")
    start: int
    end: int
    score: float
    source: str = Field(max_length=200)
    version: str = Field(max_length=200)
    annotator_id: int | None = Field(default=None, foreign_key="annotator.id", ondelete="CASCADE")
    from_others: bool = False
    created_at: datetime = Field(default_factory=_now)


class SuggestionRejectionModel(SQLModel, table=True):
    __tablename__ = "suggestion_rejection"
    __table_args__ = (
        UniqueConstraint(
            "annotator_id", "document_id", "label_id", "start", "end", name="uq_suggestion_rejection"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    label_id: int = Field(foreign_key="label.id", ondelete="CASCADE")
    phrase: str
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    start: int
    end: int
    created_at: datetime = Field(default_factory=_now)


class SuggestionPolicyModel(SQLModel, table=True):
    __tablename__ = "suggestion_policy"
    __table_args__ = (CheckConstraint("id = 1", name="ck_suggestion_policy_one_row"),)

    id: int | None = Field(default=None, primary_key=True)
    show_others: bool = False
    train_on_gold: bool = False
