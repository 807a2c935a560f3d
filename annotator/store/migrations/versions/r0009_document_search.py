"""Search across documents (issue 12): an index over every document's text.

The document filter matches text as a case-insensitive substring (``text LIKE '%needle%'``); this
revision makes that fast on 100,000 documents:

- SQLite: an FTS5 table with the trigram tokenizer over ``document.title`` and ``.text`` as external content
  (the text is stored once, in ``document``), with ``detail=none`` (no positions: the index answers
  LIKE by trigrams and SQLite checks each candidate against the text, so the index stays small).
  Triggers keep it in step: a document is indexed when inserted and removed when deleted (texts
  never change once imported; an update trigger re-indexes anyway, as SQLite has no guard).
- Both: an index for sorting the list by title (case-insensitively), a page at a time.
- PostgreSQL: trigram GIN indexes (pg_trgm) on ``document.text``, ``.title`` and ``.uid``, which
  serve ``ILIKE '%needle%'``; the server maintains them. The extension is created when the server
  lets the owner (it is a trusted extension from PostgreSQL 13); without it the same queries run
  as a scan, slower but right. Team members read documents as before (SELECT on ``document``), so
  their search needs no new function or privilege.

Revision ID: 0009
Revises: 0005
"""

from alembic import op
from sqlalchemy import text

revision = "0009"
down_revision = "0008"

SQLITE_UP = (
    "CREATE VIRTUAL TABLE document_search USING fts5("
    "title, text, content='document', content_rowid='id', tokenize='trigram', detail='none')",
    "INSERT INTO document_search(document_search) VALUES ('rebuild')",
    # The list sorts by title (case-insensitively): an index walks it in order, a page at a time.
    "CREATE INDEX ix_document_title_nocase ON document (title COLLATE NOCASE, position, id)",
    "CREATE TRIGGER document_search_insert AFTER INSERT ON document BEGIN "
    "INSERT INTO document_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER document_search_delete AFTER DELETE ON document BEGIN "
    "INSERT INTO document_search(document_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER document_search_update AFTER UPDATE OF title, text ON document BEGIN "
    "INSERT INTO document_search(document_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO document_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS document_search_update",
    "DROP TRIGGER IF EXISTS document_search_delete",
    "DROP TRIGGER IF EXISTS document_search_insert",
    "DROP TABLE IF EXISTS document_search",
    "DROP INDEX IF EXISTS ix_document_title_nocase",
)
POSTGRES_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_document_title_lower ON document (lower(title), position, id)",
    "CREATE INDEX IF NOT EXISTS ix_document_text_trgm ON document USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_document_title_trgm ON document USING gin (title gin_trgm_ops)",
    # (the filter matches ids too: without this one the planner scans, reading every text)
    "CREATE INDEX IF NOT EXISTS ix_document_uid_trgm ON document USING gin (uid gin_trgm_ops)",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    op.execute(POSTGRES_INDEXES[0])
    if not _trigram_extension(bind):
        return
    for statement in POSTGRES_INDEXES[1:]:
        op.execute(statement)


def _trigram_extension(bind) -> bool:  # type: ignore[no-untyped-def]
    """pg_trgm is there, or could be created here (else the search scans: right, only slower)."""
    installed = bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    if installed:
        return True
    savepoint = bind.begin_nested()
    try:
        bind.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception:  # not available on this server, or not allowed for this owner
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
        return
    op.execute("DROP INDEX IF EXISTS ix_document_uid_trgm")
    op.execute("DROP INDEX IF EXISTS ix_document_title_trgm")
    op.execute("DROP INDEX IF EXISTS ix_document_text_trgm")
    op.execute("DROP INDEX IF EXISTS ix_document_title_lower")
