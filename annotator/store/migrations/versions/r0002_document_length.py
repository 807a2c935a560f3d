"""Store each document's length in code points.

Offsets are checked against it on every span (0 <= start < end <= length) and the document list
shows it; computing it in SQL read the whole text each time and, on SQLite, stopped at the first
NUL character. Texts never change once imported, so the stored value stays true.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("length", sa.Integer(), nullable=False, server_default="0"))
    bind = op.get_bind()
    document = sa.table(
        "document", sa.column("id", sa.Integer), sa.column("text", sa.String), sa.column("length", sa.Integer)
    )
    rows = bind.execute(sa.select(document.c.id, document.c.text)).all()
    for doc_id, text in rows:
        bind.execute(sa.update(document).where(document.c.id == doc_id).values(length=len(text)))
