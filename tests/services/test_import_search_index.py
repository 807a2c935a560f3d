"""An import indexes its documents for search in one statement (store/search_index.py) and leaves
the index exactly in step with the documents, also when it fails half-way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson

from annotator.services.workspace import Workspace


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def check_index(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        # FTS5 compares its index with the external content table and raises when they differ.
        conn.execute("INSERT INTO document_search(document_search, rank) VALUES ('integrity-check', 1)")
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert "document_search_insert" in triggers


def found(db: Path, needle: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT d.uid FROM document_search s JOIN document d ON d.id = s.rowid WHERE s.text LIKE ?",
            (f"%{needle}%",),
        ).fetchall()
    return sorted(r[0] for r in rows)


def test_imported_documents_are_found_and_the_index_is_whole(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    ws = Workspace.open(str(db))
    first = [{"id": f"a{i}", "text": f"Trade talks 東京 👩‍👩‍👧 round {i}"} for i in range(30)]
    assert ws.importer.import_paths([write_jsonl(tmp_path / "a.jsonl", first)]).ok
    second = [{"id": "b1", "text": "The zeppelin landed in שלום עולם."}]
    assert ws.importer.import_paths([write_jsonl(tmp_path / "b.jsonl", second)]).ok
    ws.close()
    check_index(db)
    assert found(db, "zeppelin") == ["b1"]
    assert len(found(db, "東京 👩‍👩‍👧 round")) == 30
    # A document added outside an import is indexed by the trigger, which the imports put back.
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO document (uid, title, text, sha256, length, meta, position, created_at) "
            "VALUES ('c1', '', 'a lone airship', 'x', 14, '{}', 99, '2026-01-01')"
        )
    assert found(db, "airship") == ["c1"]
    check_index(db)


def test_a_failed_import_leaves_the_index_and_its_trigger_as_they_were(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    ws = Workspace.open(str(db))
    assert ws.importer.import_paths(
        [write_jsonl(tmp_path / "a.jsonl", [{"id": "a1", "text": "kept text"}])]
    ).ok
    bad = [
        {"id": "b1", "text": "never stored"},
        {"id": "b2", "text": "bad", "spans": [{"start": 5, "end": 1, "label": "x"}]},
    ]
    assert not ws.importer.import_paths([write_jsonl(tmp_path / "b.jsonl", bad)]).ok
    ws.close()
    check_index(db)
    assert found(db, "never") == []
    assert found(db, "kept") == ["a1"]


def tally(db: Path) -> tuple[dict[tuple[int, int, str], int], dict[tuple[int, int, str], int]]:
    """(the tally, a fresh count of the spans) per annotator, label and hour."""
    with sqlite3.connect(db) as conn:
        kept = {(a, b, h): n for a, b, h, n in conn.execute("SELECT * FROM span_tally WHERE n <> 0")}
        counted = {
            (a, b, h): n
            for a, b, h, n in conn.execute(
                "SELECT annotator_id, label_id, substr(created_at, 1, 13), count(*) FROM span GROUP BY 1, 2, 3"
            )
        }
    return kept, counted


def test_an_import_tallies_its_spans_in_one_statement_and_puts_the_trigger_back(tmp_path: Path) -> None:
    """The span tally's insert trigger (store/span_tally.py) is set aside like the index's."""
    db = tmp_path / "a.db"
    ws = Workspace.open(str(db))
    ws.ensure_sample()
    me = ws.annotators.sign_in("alice")
    sample = ws.documents.list_for(me.id)[0].id
    label = ws.labels.list()[0].id
    ws.annotations.add(sample, me.id, label, 0, 5)  # tallied by the trigger, before any import
    spans = [{"start": i, "end": i + 4, "label": "framing", "annotator": "alice"} for i in range(0, 40, 5)]
    records = [{"id": f"a{i}", "text": "x" * 60, "spans": spans} for i in range(5)]
    assert ws.importer.import_paths([write_jsonl(tmp_path / "a.jsonl", records)]).ok
    kept, counted = tally(db)
    assert kept == counted and sum(kept.values()) == 1 + 5 * 8
    bad = [
        {"id": "b1", "text": "y" * 60, "spans": spans},
        {"id": "b2", "text": "bad", "spans": [{"start": 5, "end": 1, "label": "x"}]},
    ]
    assert not ws.importer.import_paths([write_jsonl(tmp_path / "b.jsonl", bad)]).ok
    assert tally(db) == (kept, counted)  # the failed import changed neither
    ws.annotations.add(sample, me.id, label, 10, 15)  # the trigger is back
    kept, counted = tally(db)
    assert kept == counted and sum(kept.values()) == 2 + 5 * 8
    ws.close()
    with sqlite3.connect(db) as conn:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"span_tally_insert", "document_search_insert"} <= triggers


def test_an_import_of_spans_partly_stored_tallies_only_the_new_ones(tmp_path: Path) -> None:
    """When some spans are already stored the importer cannot count the new ones itself: the
    database counts them (store/span_tally.py's CATCH_UP); when all are new it counts them."""
    db = tmp_path / "a.db"
    ws = Workspace.open(str(db))
    spans = [
        {"start": i, "end": i + 4, "label": "framing", "annotator": ["alice", "bob"][i % 2]}
        for i in range(0, 40, 5)
    ]
    first = [{"id": f"a{i}", "text": "x" * 60, "spans": spans[:5]} for i in range(4)]
    assert ws.importer.import_paths([write_jsonl(tmp_path / "a.jsonl", first)]).ok
    kept, counted = tally(db)
    assert kept == counted and sum(kept.values()) == 4 * 5
    again = [{"id": f"a{i}", "text": "x" * 60, "spans": spans} for i in range(6)]  # 2 new documents
    result = ws.importer.import_paths([write_jsonl(tmp_path / "b.jsonl", again)])
    assert result.ok and result.files[0].spans_added == 6 * 8 - 4 * 5
    kept, counted = tally(db)
    assert kept == counted and sum(kept.values()) == 6 * 8
    ws.close()
