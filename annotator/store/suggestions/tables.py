"""The suggestion tables of migration 0006, as light SQLAlchemy Core tables (no ORM needed)."""

from __future__ import annotations

from sqlalchemy import Boolean, DateTime, Float, Integer, String, column, table

suggestion_t = table(
    "suggestion",
    column("id", Integer),
    column("document_id", Integer),
    column("label_id", Integer),
    column("start", Integer),
    column("end", Integer),
    column("score", Float),
    column("source", String),
    column("version", String),
    column("annotator_id", Integer),
    column("from_others", Boolean),
    column("created_at", DateTime(timezone=True)),
)
rejection_t = table(
    "suggestion_rejection",
    column("id", Integer),
    column("annotator_id", Integer),
    column("label_id", Integer),
    column("phrase", String),
    column("document_id", Integer),
    column("start", Integer),
    column("end", Integer),
    column("created_at", DateTime(timezone=True)),
)
policy_t = table(
    "suggestion_policy",
    column("id", Integer),
    column("show_others", Boolean),
    column("train_on_gold", Boolean),
)
