"""The store on real SQLite files: schema, defaults, pragmas, refusals that leave files untouched."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from annotator.store import tables, team_tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from annotator.store.database import Database
from annotator.store.errors import StoreError
from annotator.store.migrations import runner

DEFAULT_LABELS = [
    ("strategic messaging", "1"),
    ("economic outcome", "2"),
    ("leverage", "3"),
    ("framing", "4"),
]
TABLES = {
    "alembic_version",
    "document",
    "label",
    "annotator",
    "span",
    "document_status",
    *("suggestion", "suggestion_rejection", "suggestion_policy"),
    "assignment",
    "span_tally",
    "document_label",
    "document_comment",
    "guideline_version",
}
# Migration 0009's search index: an FTS5 table (with the shadow tables SQLite makes for it) and an
# index for sorting by title, outside the models (tables.py cannot declare a virtual table).
SEARCH_TABLES = {f"document_search{part}" for part in ("", "_config", "_data", "_idx", "_docsize")}
SEARCH_INDEXES = {"ix_document_title_nocase"}


@pytest.fixture
def db(tmp_path: Path):
    database = Database.open(str(tmp_path / "a.db"))
    yield database
    database.close()


def folder_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_new_database_has_schema_and_default_labels(db: Database) -> None:
    with db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == TABLES | SEARCH_TABLES
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == runner.HEAD_REVISION
        rows = conn.execute(text("SELECT name, hotkey, archived FROM label ORDER BY position")).all()
    assert [(name, hotkey) for name, hotkey, _ in rows] == DEFAULT_LABELS
    assert all(not archived for *_, archived in rows)


def test_connection_pragmas(db: Database) -> None:
    # Check more than one pooled connection: each must get the pragmas.
    with db.engine.connect() as one, db.engine.connect() as two:
        for conn in (one, two):
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_foreign_keys_are_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at)'
                " VALUES (999, 999, 999, 0, 1, '2024-01-01', '2024-01-01')"
            )
        )


@pytest.mark.parametrize(
    "content",
    [b"just some notes, not a database\n", os.urandom(4096), b"SQLite format 2\x00" + b"x" * 100],
    ids=["text", "random", "almost-header"],
)
def test_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not an Annotator database"):
        Database.open(str(path))
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Database.open(str(tmp_path))


def make_plain_sqlite(path: Path, statements: list[str]) -> bytes:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_database_of_another_application_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "places.sqlite"
    before = make_plain_sqlite(
        path,
        [
            "CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)",
            "INSERT INTO bookmarks VALUES (1, 'x')",
        ],
    )
    with pytest.raises(StoreError, match="not made by Annotator") as info:
        Database.open(str(path))
    assert "bookmarks" in str(info.value)
    # Byte-identical, and still in its own journal mode: no WAL switch, no -wal/-shm files left.
    assert folder_snapshot(tmp_path) == {"places.sqlite": before}


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    before = make_plain_sqlite(
        path,
        [
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('9999')",
            "CREATE TABLE document (id INTEGER PRIMARY KEY, future_column TEXT)",
        ],
    )
    with pytest.raises(StoreError) as info:
        Database.open(str(path))
    message = str(info.value)
    assert "newer version" in message
    assert "9999" in message
    assert folder_snapshot(tmp_path) == {"newer.db": before}  # no backup made, nothing changed


def test_newer_schema_made_by_annotator_in_wal_mode_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ours.db"
    db = Database.open(str(path))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.close()
    before = folder_snapshot(tmp_path)
    with pytest.raises(StoreError, match="newer version"):
        Database.open(str(path))
    assert folder_snapshot(tmp_path) == before


def test_head_revision_matches_the_scripts() -> None:
    scripts = ScriptDirectory(str(runner.MIGRATIONS_DIR))
    assert scripts.get_current_head() == runner.HEAD_REVISION
    assert runner.HEAD_REVISION in runner.known_revisions()
    assert runner.known_revisions() == {s.revision for s in scripts.walk_revisions()}


def test_migrated_schema_matches_the_models(db: Database) -> None:
    # Compared: tables, columns, nullability, types, indexes, unique constraints, foreign keys.
    # Not compared by Alembic on SQLite (so nothing to ignore explicitly): CHECK constraints and
    # server defaults. The alembic_version table is Alembic's own; compare_metadata already
    # skips it. If a difference shows up here, the migration and tables.py have drifted.
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": lambda _o, name, *_: name not in SEARCH_TABLES | SEARCH_INDEXES,
            },
        )
        diffs = compare_metadata(context, SQLModel.metadata)
    assert diffs == []


def test_span_offset_check_constraint_exists(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO document (uid, title, text, sha256, meta, position, created_at)"
                " VALUES ('d', '', 'abc', 'x', '{}', 0, '2024-01-01')"
            )
        )
        conn.execute(text("INSERT INTO annotator (name, role) VALUES ('a', 'annotator')"))
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at)'
                " VALUES (1, 1, 1, 2, 2, '2024-01-01', '2024-01-01')"
            )
        )


def test_reopening_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Database.open(str(path)).close()
    for _ in range(3):
        db = Database.open(str(path))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM label")).scalar() == 4
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        db.close()
    # An up-to-date database is not backed up on open.
    assert not [p for p in tmp_path.iterdir() if "backup" in p.name]


def test_unsupported_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        Database.open("mysql://user@host/db")


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgres_passwords_stay_out_of_messages_and_remembered_targets(database_factory) -> None:
    from sqlalchemy.engine import make_url

    from annotator.store.database import Database
    from annotator.store.errors import StoreError

    url = database_factory("pw")
    password = make_url(url).password
    db = Database.open(url)
    try:
        assert f":{password}@" not in db.location and ":***@" in db.location
        remembered = make_url(db.reopen_target)
        assert remembered.password is None and remembered.database == make_url(url).database
    finally:
        db.close()
    wrong = make_url(url).set(password="not-the-password").render_as_string(hide_password=False)
    with pytest.raises(StoreError) as refused:
        Database.open(wrong)
    assert "not-the-password" not in str(refused.value)
