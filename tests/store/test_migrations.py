"""A database made by the previous release (schema 0001) migrates to the current schema, on
SQLite (after a backup made with the backup API) and on PostgreSQL, keeping every row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from annotator.services.workspace import Workspace
from annotator.store.engine import to_url
from annotator.store.migrations.runner import HEAD_REVISION, known_revisions
from tests.store.older_release import at_revision

TEXTS = ["Putin met Xi.\r\nTalks ended.", "nul\x00inside 😀 text", "café"]
PG_TEXTS = [t.replace("\x00", "") for t in TEXTS]  # PostgreSQL text cannot hold NUL


def make_release_0001(target: str, texts: list[str]) -> None:
    """What the previous release created: schema 0001, some documents, spans and a status."""
    with at_revision(target, "0001") as (engine, conn):
        conn.execute(text("INSERT INTO annotator (name, role) VALUES ('alice', 'annotator')"))
        for i, body in enumerate(texts):
            conn.execute(
                text(
                    "INSERT INTO document (uid, title, text, sha256, meta, position, created_at) "
                    "VALUES (:uid, :title, :text, 'x', '{}', :pos, CURRENT_TIMESTAMP)"
                ),
                {"uid": f"d{i}", "title": f"Doc {i}", "text": body, "pos": i},
            )
        conn.execute(
            text(
                'INSERT INTO span (document_id, annotator_id, label_id, start, "end", note, created_at, updated_at) '
                "VALUES (1, 1, 3, 0, 5, 'old note', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO document_status (document_id, annotator_id, status, updated_at) "
                "VALUES (1, 1, 'done', CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()


def test_head_is_the_newest_script() -> None:
    assert HEAD_REVISION in known_revisions()
    assert {"0001", "0002"} <= known_revisions()


def test_previous_release_migrates_with_data(database_factory: Callable[[str], str], backend: str) -> None:
    target = database_factory("old.db")
    texts = TEXTS if backend == "sqlite" else PG_TEXTS
    make_release_0001(target, texts)
    workspace = Workspace.open(target)
    try:
        alice = workspace.annotators.find("alice")
        assert alice is not None
        docs = workspace.documents.list_for(alice.id)
        assert [d.length for d in docs] == [len(t) for t in texts]  # the NUL does not cut it short
        assert docs[0].status == "done" and docs[0].span_count == 1
        [span] = workspace.annotations.spans_for(docs[0].id, alice.id)
        assert (span.start, span.end, span.note) == (0, 5, "old note")
        # The new column is used: offsets are checked against the stored length.
        workspace.annotations.add(docs[1].id, alice.id, span.label_id, 0, len(texts[1]))
        with workspace.db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD_REVISION
    finally:
        workspace.close()
    if backend == "sqlite":
        folder = Path(target).parent
        [backup] = [p for p in folder.iterdir() if "backup-schema-0001" in p.name]
        engine = create_engine(to_url(str(backup)))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
            assert conn.execute(text("SELECT count(*) FROM span")).scalar_one() == 1
        engine.dispose()


def test_reopening_a_current_database_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Workspace.open(str(path)).close()
    Workspace.open(str(path)).close()
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []


@pytest.mark.parametrize("newer", ["9999"])
def test_newer_schema_is_refused_on_every_backend(database_factory, newer: str) -> None:
    from annotator.store.errors import StoreError

    target = database_factory("new.db")
    Workspace.open(target).close()
    engine = create_engine(to_url(target))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": newer})
    engine.dispose()
    with pytest.raises(StoreError, match="newer version"):
        Workspace.open(target)
