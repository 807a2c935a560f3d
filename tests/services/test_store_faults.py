"""A locked SQLite database and a full disk: a clear message, nothing changed, and the same change
succeeds once the cause is gone.

The full disk is SQLite's own: with `PRAGMA max_page_count` at the file's current size, a write
that needs a new page fails with SQLITE_FULL, the error a full disk gives, without filling a disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace
from tests.services.conftest import counts, write_jsonl


@pytest.fixture
def quick_ws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Workspace]:
    """A workspace that gives up on a locked database after 0.2 s instead of 15 s."""
    monkeypatch.setattr("annotator.store.engine.BUSY_TIMEOUT_MS", 200)
    ws = Workspace.open(str(tmp_path / "a.db"))
    yield ws
    ws.close()


def limit_pages(ws: Workspace, pages: int | None) -> None:
    """Cap (or with None, uncap) the file's size for every new connection, as a full disk would."""
    engine = ws.db.engine
    for listener in getattr(engine, "_test_page_limits", []):
        event.remove(engine, "connect", listener)
    engine._test_page_limits = []  # type: ignore[attr-defined]
    if pages is not None:

        def cap(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

        event.listen(engine, "connect", cap)
        engine._test_page_limits.append(cap)  # type: ignore[attr-defined]
    engine.dispose()


def page_count(ws: Workspace) -> int:
    with ws.db.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())


def first_document(ws: Workspace) -> tuple[int, int, int]:
    ws.ensure_sample()
    me = ws.annotators.sign_in("alice")
    doc = ws.documents.list_for(me.id)[0]
    return doc.id, me.id, ws.labels.list()[0].id


def test_locked_database_says_busy_changes_nothing_and_the_retry_saves(quick_ws: Workspace) -> None:
    doc, me, label = first_document(quick_ws)
    holder = sqlite3.connect(quick_ws.db.location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing
    try:
        with pytest.raises(AnnotatorError, match=r"is busy \(another program is writing\); try again"):
            quick_ws.annotations.add(doc, me, label, 0, 5)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert quick_ws.annotations.spans_for(doc, me) == []
    quick_ws.annotations.add(doc, me, label, 0, 5)
    assert len(quick_ws.annotations.spans_for(doc, me)) == 1


def test_full_disk_refuses_a_span_and_the_retry_saves_it(quick_ws: Workspace) -> None:
    doc, me, label = first_document(quick_ws)
    note = "a long note " * 2000  # needs new pages
    limit_pages(quick_ws, page_count(quick_ws))
    with pytest.raises(AnnotatorError, match=r"the disk holding .*a\.db is full; nothing was changed"):
        quick_ws.annotations.add(doc, me, label, 0, 5, note)
    limit_pages(quick_ws, None)  # space freed
    assert quick_ws.annotations.spans_for(doc, me) == []
    quick_ws.annotations.add(doc, me, label, 0, 5, note)
    [span] = quick_ws.annotations.spans_for(doc, me)
    assert span.note == note


def test_full_disk_during_import_imports_nothing(quick_ws: Workspace, tmp_path: Path) -> None:
    quick_ws.ensure_sample()
    before = counts(quick_ws)
    records = [
        {
            "id": f"d{i}",
            "text": "Tariffs rose. " * 200,
            "spans": [{"start": 0, "end": 7, "label": "framing", "annotator": "alice"}],
        }
        for i in range(50)
    ]
    path = write_jsonl(tmp_path / "big.jsonl", records)
    limit_pages(quick_ws, page_count(quick_ws) + 5)
    result = quick_ws.importer.import_paths([path])
    assert not result.ok
    assert "is full; nothing was changed" in (result.files[0].error or "")
    limit_pages(quick_ws, None)
    assert counts(quick_ws) == before
    assert quick_ws.importer.import_paths([path]).ok
    assert counts(quick_ws)[0] == before[0] + 50
