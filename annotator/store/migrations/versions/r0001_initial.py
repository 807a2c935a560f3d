"""Initial schema and the four default labels.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

DEFAULT_LABELS = [
    ("strategic messaging", "#4e79a7", "1", "Statements crafted to project intent, alignment or resolve."),
    (
        "economic outcome",
        "#59a14f",
        "2",
        "Concrete economic results: deals, trade figures, investment, prices.",
    ),
    ("leverage", "#f28e2b", "3", "Means one side uses to press the other: dependence, bargaining power."),
    ("framing", "#b07aa1", "4", "How events are presented: word choice and narrative that steer reading."),
]


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(512), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_document_uid", "document", ["uid"], unique=True)
    op.create_index("ix_document_position", "document", ["position"])
    op.create_index("ix_document_sha256", "document", ["sha256"])
    label = op.create_table(
        "label",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("color", sa.String(9), nullable=False),
        sa.Column("hotkey", sa.String(1), nullable=True),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "annotator",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
    )
    op.create_table(
        "span",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "annotator_id", sa.Integer(), sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("label_id", sa.Integer(), sa.ForeignKey("label.id"), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("document_id", "annotator_id", "label_id", "start", "end", name="uq_span"),
        sa.CheckConstraint('0 <= start AND start < "end"', name="ck_span_offsets"),
    )
    op.create_index("ix_span_annotator_id", "span", ["annotator_id"])
    op.create_table(
        "document_status",
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("document.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "annotator_id",
            sa.Integer(),
            sa.ForeignKey("annotator.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_document_status_annotator_id", "document_status", ["annotator_id"])
    op.bulk_insert(
        label,
        [
            {"name": n, "color": c, "hotkey": k, "description": d, "position": i, "archived": False}
            for i, (n, c, k, d) in enumerate(DEFAULT_LABELS)
        ],
    )
