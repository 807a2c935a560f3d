"""Import bounded by the batch (issue 16): statuses merged a chunk at a time, the JSONL file read a
line at a time; the results are the same as when all of it was held at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.services import store_writer
from annotator.services.workspace import Workspace
from tests.services.conftest import counts, import_ok, write_jsonl
from tests.services.test_import import stored_statuses


def record(i: int, status: str, annotators: tuple[str, ...] = ("alice", "bob")) -> dict[str, object]:
    return {"id": f"d{i}", "text": f"Document {i}.", "status": dict.fromkeys(annotators, status)}


def test_statuses_merged_across_chunks_move_forward_only(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_writer, "STATUS_CHUNK", 3)
    monkeypatch.setattr(store_writer, "CHUNK", 2)
    first = [record(i, "in_progress") for i in range(7)]
    import_ok(ws, write_jsonl(tmp_path / "1.jsonl", first))
    # Stored documents and new ones, one of them twice in the file with a later status second.
    second = [record(i, "done" if i % 2 else "todo") for i in range(4, 10)] + [record(9, "in_progress")]
    report = import_ok(ws, write_jsonl(tmp_path / "2.jsonl", second))
    assert (report.documents_added, report.documents_merged) == (3, 3)
    want = {(f"d{i}", a): "in_progress" for i in range(7) for a in ("alice", "bob")}
    want.update({(f"d{i}", a): "done" for i in (5, 7, 9) for a in ("alice", "bob")})
    want.update({(f"d{i}", a): "todo" for i in (8,) for a in ("alice", "bob")})
    assert stored_statuses(ws) == want
    assert counts(ws) == (10, 0, 20)


def test_a_jsonl_file_without_a_final_newline_and_with_crlf_lines(ws: Workspace, tmp_path: Path) -> None:
    """Lines are read one at a time: CRLF ends, blank lines and a last line without a newline."""
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"id": "a", "text": "First."}\r\n\r\n{"id": "b", "text": "Second."}\r\n  \n{"id": "c", "text": "Third."}'
    )
    assert import_ok(ws, path).documents_added == 3
