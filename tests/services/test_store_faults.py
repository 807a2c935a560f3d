"""A locked SQLite database and a full disk: a clear message, nothing changed, and the same change
succeeds once the cause is gone.

The full disk is SQLite's own: with `PRAGMA max_page_count` at the file's current size, a write
that needs a new page fails with SQLITE_FULL, the error a full disk gives, without filling a disk.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace
from tests.services.conftest import counts, write_jsonl


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


def test_locked_database_says_busy_changes_nothing_and_the_retry_saves(
    impatient_workspace: Workspace,
) -> None:
    doc, me, label = first_document(impatient_workspace)
    holder = sqlite3.connect(impatient_workspace.db.location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing
    try:
        with pytest.raises(AnnotatorError, match=r"is busy \(another program is writing\); try again"):
            impatient_workspace.annotations.add(doc, me, label, 0, 5)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert impatient_workspace.annotations.spans_for(doc, me) == []
    impatient_workspace.annotations.add(doc, me, label, 0, 5)
    assert len(impatient_workspace.annotations.spans_for(doc, me)) == 1


def test_full_disk_refuses_a_span_and_the_retry_saves_it(impatient_workspace: Workspace) -> None:
    doc, me, label = first_document(impatient_workspace)
    note = "a long note " * 2000  # needs new pages
    limit_pages(impatient_workspace, page_count(impatient_workspace))
    with pytest.raises(
        AnnotatorError, match=r"the disk holding .*impatient\.db is full; nothing was changed"
    ):
        impatient_workspace.annotations.add(doc, me, label, 0, 5, note)
    limit_pages(impatient_workspace, None)  # space freed
    assert impatient_workspace.annotations.spans_for(doc, me) == []
    impatient_workspace.annotations.add(doc, me, label, 0, 5, note)
    [span] = impatient_workspace.annotations.spans_for(doc, me)
    assert span.note == note


def test_full_disk_during_import_imports_nothing(impatient_workspace: Workspace, tmp_path: Path) -> None:
    impatient_workspace.ensure_sample()
    before = counts(impatient_workspace)
    records = [
        {
            "id": f"d{i}",
            "text": "Tariffs rose. " * 200,
            "spans": [{"start": 0, "end": 7, "label": "framing", "annotator": "alice"}],
        }
        for i in range(50)
    ]
    path = write_jsonl(tmp_path / "big.jsonl", records)
    limit_pages(impatient_workspace, page_count(impatient_workspace) + 5)
    result = impatient_workspace.importer.import_paths([path])
    assert not result.ok
    assert "is full; nothing was changed" in (result.files[0].error or "")
    limit_pages(impatient_workspace, None)
    assert counts(impatient_workspace) == before
    assert impatient_workspace.importer.import_paths([path]).ok
    assert counts(impatient_workspace)[0] == before[0] + 50
