"""PostgreSQL: announce committed changes to spans and statuses on the channel annotator_changes.

A supervisor's review window LISTENs and refreshes within a moment of an annotator's edit on
another desktop, instead of at its next poll. Statement-level triggers, so an import of 300,000
spans sends one notification, not 300,000; PostgreSQL delivers it at commit and folds repeats
within a transaction. The payload is only the table's name: nothing that row security hides.
SQLite has no notifications (the window polls); there this revision changes nothing.

Revision ID: 0004
Revises: 0003
"""

from alembic import op
from sqlalchemy import text

revision = "0004"
down_revision = "0003"

CHANNEL = "annotator_changes"  # annotator/store/notifications.py listens on it
TABLES = ("span", "document_status")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.execute(
        text(
            "CREATE FUNCTION annotator_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
        )
    )
    for table in TABLES:
        bind.execute(
            text(
                f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION annotator_notify_change()"
            )
        )
