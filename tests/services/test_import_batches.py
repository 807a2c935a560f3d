"""Imports longer than one batch: records are stored a batch at a time while the next batch is
parsed, so merging, refusals and all-or-nothing must hold across batch boundaries (on both backends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.services.store_writer import BATCH
from annotator.services.workspace import Workspace
from annotator.store.errors import StoreError
from tests.services.conftest import counts, import_error, import_ok, write_jsonl
from tests.services.test_import import stored_spans

DOCS = 2 * BATCH + 37  # three batches, the last one partial


def record(i: int, annotator: str = "alice", **extra: object) -> dict[str, object]:
    """Spans at the same offsets in every document: 14-19 is "Putin", 24-26 is "Xi"."""
    text_ = f"Document {i:03d}: Putin met Xi; tariffs rose by {i} percent."
    return {
        "id": f"doc-{i}",
        "text": text_,
        "spans": [
            {"start": 14, "end": 19, "label": "framing", "annotator": annotator},
            {"start": 24, "end": 26, "label": "leverage", "annotator": annotator, "note": f"n{i}"},
        ],
        "status": {annotator: "done"},
        **extra,
    }


def test_many_batches_store_every_span_with_its_own_document(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(DOCS)])
    report = import_ok(ws, path)
    assert (report.documents_added, report.documents_merged) == (DOCS, 0)
    assert (report.spans_added, report.spans_present) == (2 * DOCS, 0)
    assert counts(ws) == (DOCS, 2 * DOCS, DOCS)
    keys = stored_spans(ws)
    assert ("doc-0", "alice", "framing", 14, 19, None) in keys
    assert (f"doc-{DOCS - 1}", "alice", "leverage", 24, 26, f"n{DOCS - 1}") in keys
    # Every span points into its own document's text (no batch got another batch's ids).
    with ws.db.engine.connect() as conn:
        rows = conn.execute(
            text('SELECT d.uid, d.text, s.start, s."end" FROM span s JOIN document d ON d.id = s.document_id')
        ).all()
    assert {t[s:e] for _, t, s, e in rows} == {"Putin", "Xi"}


def test_import_leaves_no_dangling_reference_and_checks_later_writes(ws: Workspace, tmp_path: Path) -> None:
    """The bulk import writes ids it resolved itself; the database agrees, and the connection
    it used enforces foreign keys again afterwards."""
    first = [record(i) for i in range(BATCH + 5)]
    second = [record(i, annotator="bob") for i in range(3, DOCS)]  # merges, new docs, a new annotator
    import_ok(ws, write_jsonl(tmp_path / "a.jsonl", first))
    import_ok(ws, write_jsonl(tmp_path / "b.jsonl", second))
    with ws.db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM span s LEFT JOIN document d ON d.id = s.document_id "
                "LEFT JOIN annotator a ON a.id = s.annotator_id LEFT JOIN label l ON l.id = s.label_id "
                "WHERE d.id IS NULL OR a.id IS NULL OR l.id IS NULL"
            )
        ).scalar_one()
        assert orphans == 0
    with pytest.raises(StoreError, match=r"(?i)foreign key"), ws.db.write() as session:
        session.connection().execute(
            text(
                'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
                "VALUES (999999, 1, 1, 0, 1, '2026-01-01', '2026-01-01')"
            )
        )


def test_reimport_across_batches_adds_only_what_is_new(ws: Workspace, tmp_path: Path) -> None:
    records = [record(i) for i in range(DOCS)]
    path = write_jsonl(tmp_path / "a.jsonl", records)
    import_ok(ws, path)
    records[-1]["spans"].append({"start": 0, "end": 8, "label": "framing", "annotator": "alice"})  # type: ignore[union-attr]
    again = import_ok(ws, write_jsonl(tmp_path / "b.jsonl", records))
    assert (again.documents_added, again.documents_merged) == (0, DOCS)
    assert (again.spans_added, again.spans_present) == (1, 2 * DOCS)
    assert counts(ws) == (DOCS, 2 * DOCS + 1, DOCS)


def test_same_document_in_two_batches_is_one_document(ws: Workspace, tmp_path: Path) -> None:
    records = [record(i) for i in range(DOCS)]
    repeat = record(0, annotator="bob")  # the first document again, in the last batch, by bob
    path = write_jsonl(tmp_path / "a.jsonl", [*records, repeat])
    report = import_ok(ws, path)
    assert report.documents_added == DOCS
    assert counts(ws) == (DOCS, 2 * DOCS + 2, DOCS + 1)
    assert ("doc-0", "bob", "framing", 14, 19, None) in stored_spans(ws)


def test_same_text_without_id_in_two_batches_is_one_document(ws: Workspace, tmp_path: Path) -> None:
    body = {"text": "An untitled text without an id.", "spans": []}
    records = [body, *[record(i) for i in range(BATCH + 1)], body]
    import_ok(ws, write_jsonl(tmp_path / "a.jsonl", records))
    assert counts(ws)[0] == BATCH + 2


def test_duplicate_spans_in_different_batches_are_stored_once(ws: Workspace, tmp_path: Path) -> None:
    records = [record(i) for i in range(DOCS)]
    records.append(record(1))  # every span of doc-1 again, in the last batch
    report = import_ok(ws, write_jsonl(tmp_path / "a.jsonl", records))
    assert (report.spans_added, report.spans_present) == (2 * DOCS, 2)
    assert counts(ws)[1] == 2 * DOCS


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ({"id": "late", "text": "Short.", "spans": [{"start": 0, "end": 99, "label": "framing"}]}, "end"),
        (
            {
                "id": "late",
                "text": "Short.",
                "spans": [{"start": 0, "end": 5, "label": "nope", "annotator": "a"}],
            },
            "nope",
        ),
        ({"id": "doc-3", "text": "Another text under a known id."}, "appears twice"),
    ],
    ids=["offset", "unknown-label", "same-id-other-text"],
)
def test_a_bad_record_in_the_last_batch_imports_nothing(
    ws: Workspace, tmp_path: Path, bad: dict[str, object], needle: str
) -> None:
    """Earlier batches' spans are already inserted when the bad line is read: all of it rolls back."""
    import_ok(ws, write_jsonl(tmp_path / "before.jsonl", [record(999)]))
    before = counts(ws)
    path = write_jsonl(tmp_path / "a.jsonl", [*[record(i) for i in range(DOCS)], bad])
    error = import_error(ws, path)
    assert f"line {DOCS + 1}" in error
    assert needle in error
    assert counts(ws) == before


def test_annotator_first_seen_in_a_later_batch_is_added(ws: Workspace, tmp_path: Path) -> None:
    records = [record(i) for i in range(DOCS)]
    records[-1] = record(DOCS - 1, annotator="zoe")
    import_ok(ws, write_jsonl(tmp_path / "a.jsonl", records))
    assert (f"doc-{DOCS - 1}", "zoe", "framing", 14, 19, None) in stored_spans(ws)
    zoe = ws.annotators.find("zoe")
    assert zoe is not None and zoe.role == "annotator"


def test_progress_reaches_the_end_and_only_moves_forward(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(DOCS)])
    seen: list[tuple[int, int]] = []
    result = ws.importer.import_paths([path], progress=lambda done, total: seen.append((done, total)))
    assert result.ok
    assert len(seen) >= 3
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][0] == seen[-1][1]


def test_cancel_in_a_later_batch_rolls_back_everything(ws: Workspace, tmp_path: Path) -> None:
    from annotator.services.importing import Cancelled

    path = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(DOCS)])

    def cancel_late(done: int, total: int) -> None:
        if done > BATCH:
            raise Cancelled()

    result = ws.importer.import_paths([path], progress=cancel_late)
    assert not result.ok
    assert "cancelled" in (result.files[0].error or "")
    assert counts(ws) == (0, 0, 0)


def test_jsonl_that_is_not_utf8_names_line_and_byte(ws: Workspace, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "g.jsonl", [record(0)]).read_bytes()
    path = tmp_path / "a.jsonl"
    path.write_bytes(good + b'{"text": "caf\xe9"}\n')
    error = import_error(ws, path)
    assert "line 2" in error
    assert "not UTF-8" in error
    assert f"offset {len(good) + 13}" in error
    assert counts(ws) == (0, 0, 0)


def test_jsonl_with_bom_and_crlf_imports_exact_offsets(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = write_jsonl(tmp_path / "g.jsonl", [record(0), record(1)]).read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + lines)
    report = import_ok(ws, path)
    assert (report.documents_added, report.spans_added) == (2, 4)
    assert ("doc-1", "alice", "framing", 14, 19, None) in stored_spans(ws)


def test_nul_characters_are_stored_whole_or_refused_by_name(
    ws: Workspace, backend: str, tmp_path: Path
) -> None:
    """SQLite's JSON functions cut strings at NUL, so such rows take another path; PostgreSQL
    cannot store NUL at all and says where it is."""
    rec = record(1)
    rec["spans"][1]["note"] = "before\x00after"  # type: ignore[index]
    records = [record(0), rec, {"id": "nul-text", "text": "A\x00B and more", "spans": []}]
    path = write_jsonl(tmp_path / "a.jsonl", records)
    if backend == "postgresql":
        error = import_error(ws, path)
        assert "line 2, field 'spans[1].note'" in error and "NUL" in error
        assert counts(ws) == (0, 0, 0)
        return
    import_ok(ws, path)
    assert ("doc-1", "alice", "leverage", 24, 26, "before\x00after") in stored_spans(ws)
    with ws.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT text, length FROM document WHERE uid = 'nul-text'")).one()
    assert tuple(stored) == ("A\x00B and more", 12)
