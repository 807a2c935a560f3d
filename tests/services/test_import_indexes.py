"""A large import sets the secondary indexes of document, span and document_status aside and
re-creates them before it commits (store/deferred_index.py), and writes the guidelines version of
its statuses without the row trigger (store/bulk.py): the schema after a successful or a failed
import is the schema before it, and the rows are what a row-by-row import would have stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.services.workspace import Workspace
from annotator.store.bulk import GUIDELINES_TRIGGER
from annotator.store.deferred_index import MIN_ROWS, worth_setting_aside
from tests.services.conftest import counts, import_error, import_ok, read_jsonl, write_jsonl
from tests.services.test_document_data import export

MANY = MIN_ROWS + 10  # large enough to set the indexes aside


def record(i: int, status: str = "done") -> dict[str, object]:
    text_ = f"Report {i}: Putin met Xi in 東京; tariffs rose 😀 by {i} percent."
    return {
        "id": f"doc-{i}",
        "title": f"Title {i % 7}",
        "text": text_,
        "spans": [
            {"start": 10, "end": 15, "label": "framing", "annotator": "alice"},
            {"start": 20, "end": 22, "label": "leverage", "annotator": "bob", "note": f"n{i}"},
        ],
        "status": {"alice": status, "bob": "in_progress"},
    }


def schema(db: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        return [tuple(r) for r in rows]


def root_pages(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'index'"))


def sqlite_db(ws: Workspace) -> Path:
    if ws.db.engine.dialect.name != "sqlite":
        pytest.skip("the indexes are set aside on SQLite only")
    return Path(ws.db.engine.url.database or "")


def test_the_rule_sets_aside_only_for_imports_as_large_as_the_table() -> None:
    assert worth_setting_aside(MIN_ROWS, 0)
    assert worth_setting_aside(5000, 5000)
    assert not worth_setting_aside(MIN_ROWS - 1, 0)
    assert not worth_setting_aside(5000, 5001)


def test_a_large_import_rebuilds_the_indexes_and_leaves_the_schema_as_it_was(
    ws: Workspace, tmp_path: Path
) -> None:
    db = sqlite_db(ws)
    import_ok(ws, write_jsonl(tmp_path / "small.jsonl", [record(-1)]))
    before, pages = schema(db), root_pages(db)
    report = import_ok(ws, write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(MANY)]))
    assert (report.documents_added, report.spans_added) == (MANY, 2 * MANY)
    assert schema(db) == before
    # The indexes were built anew (a dropped and re-created index gets a new root page).
    moved = {name for name, page in root_pages(db).items() if pages[name] != page}
    assert {"ix_span_annotator_id", "ix_document_uid", "ix_document_status_annotator_id"} <= moved
    assert not any(name.startswith("sqlite_autoindex") for name in moved)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # indexes match rows
        # The rebuilt unique index still refuses a duplicate id.
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO document (uid, title, text, sha256, length, meta, position, created_at) "
                "VALUES ('doc-5', '', 'x', 'x', 1, '{}', 99999, '2026-01-01')"
            )
    assert counts(ws) == (MANY + 1, 2 * (MANY + 1), 2 * (MANY + 1))


def test_a_failed_large_import_leaves_schema_and_rows_as_they_were(ws: Workspace, tmp_path: Path) -> None:
    db = sqlite_db(ws)
    import_ok(ws, write_jsonl(tmp_path / "small.jsonl", [record(-1)]))
    before, pages, stored = schema(db), root_pages(db), counts(ws)
    bad = {"id": "bad", "text": "short", "spans": [{"start": 2, "end": 99, "label": "framing"}]}
    error = import_error(ws, write_jsonl(tmp_path / "a.jsonl", [*[record(i) for i in range(MANY)], bad]))
    assert f"line {MANY + 1}" in error and "spans[0]" in error
    assert schema(db) == before
    assert root_pages(db) == pages  # the drop was rolled back with the rows
    assert counts(ws) == stored
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_large_import_into_a_larger_table_keeps_its_indexes(ws: Workspace, tmp_path: Path) -> None:
    db = sqlite_db(ws)
    import_ok(ws, write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(2 * MANY)]))
    pages = root_pages(db)
    import_ok(ws, write_jsonl(tmp_path / "b.jsonl", [record(i) for i in range(2 * MANY, 3 * MANY)]))
    assert root_pages(db) == pages


def test_imported_done_statuses_record_the_guidelines_version(ws: Workspace, tmp_path: Path) -> None:
    framing = ws.labels.by_name("framing")
    ws.labels.update(framing.id, description="Word choice that steers reading.", author="sam")
    version = ws.guidelines.current_version()
    assert version > 0
    records = [record(i, "done" if i % 2 else "todo") for i in range(MANY)]
    import_ok(ws, write_jsonl(tmp_path / "a.jsonl", records))
    with ws.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT s.status, a.name, s.guidelines_version, count(*) FROM document_status s "
                "JOIN annotator a ON a.id = s.annotator_id GROUP BY 1, 2, 3 ORDER BY 1, 2"
            )
        ).all()
    half = MANY // 2
    assert [tuple(r) for r in rows] == [
        ("done", "alice", version, half),
        ("in_progress", "bob", None, MANY),
        ("todo", "alice", None, MANY - half),
    ]
    first = read_jsonl(export(ws, "jsonl"))[1]
    assert {"annotator": "alice", "state": "done", "guidelines_version": version} in first["status"]
    if ws.db.engine.dialect.name == "sqlite":  # the row trigger is back for later writes
        with sqlite3.connect(sqlite_db(ws)) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert GUIDELINES_TRIGGER in names


def test_statuses_of_a_large_reimport_move_forward_after_the_rebuild(ws: Workspace, tmp_path: Path) -> None:
    import_ok(ws, write_jsonl(tmp_path / "a.jsonl", [record(i, "todo") for i in range(MANY)]))
    framing = ws.labels.by_name("framing")
    ws.labels.update(framing.id, description="Word choice that steers reading.", author="sam")
    version = ws.guidelines.current_version()
    report = import_ok(ws, write_jsonl(tmp_path / "b.jsonl", [record(i, "done") for i in range(MANY)]))
    assert (report.documents_added, report.documents_merged, report.spans_added) == (0, MANY, 0)
    with ws.db.engine.connect() as conn:
        done = conn.execute(
            text("SELECT guidelines_version, count(*) FROM document_status WHERE status = 'done' GROUP BY 1")
        ).all()
    assert [tuple(r) for r in done] == [(version, MANY)]
    assert counts(ws) == (MANY, 2 * MANY, 2 * MANY)


def test_the_expected_size_counts_records_not_pretty_printed_lines(tmp_path: Path) -> None:
    from annotator.services.importing import RecordStream

    jsonl = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(30)])
    tasks = [{"data": {"text": f"task {i}"}, "annotations": []} for i in range(30)]
    studio = tmp_path / "b.json"
    studio.write_text(json.dumps(tasks, indent=2))  # about ten lines a task
    text_file = tmp_path / "c.txt"
    text_file.write_text("one\ndocument\nof\nmany\nlines\n")
    expected = {}
    for path in (jsonl, studio, text_file):
        stream = RecordStream(path, "auto", "alice")
        expected[path.suffix] = (stream.format, stream.expected_documents)
        stream.close()
    assert expected[".jsonl"][1] in (30, 31)  # lines (an upper bound: the last newline counts)
    assert expected[".json"] == ("labelstudio", 0)  # unknown: its lines are no measure
    assert expected[".txt"] == ("txt", 1)
