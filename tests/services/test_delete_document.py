"""Deleting a document: the owner's action (issue 15, 4), reporting whose spans went with it."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import main
from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace
from tests.services.conftest import counts

TEXT = "Putin met Xi in Beijing."


def test_deleting_a_document_reports_whose_spans_went(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label = ws.labels.list()[0].name
    rows = [
        {"id": "talks", "text": TEXT, "title": "Talks", "spans": [
            {"start": 0, "end": 5, "label": label, "annotator": "alice"},
            {"start": 10, "end": 12, "label": label, "annotator": "alice"},
            {"start": 0, "end": 5, "label": label, "annotator": "bob"},
        ], "status": {"bob": "done"}},
        {"id": "other", "text": "Another text.", "spans": [
            {"start": 0, "end": 7, "label": label, "annotator": "bob"},
        ]},
    ]  # fmt: skip
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    assert ws.importer.import_paths([path]).ok
    assert counts(ws) == (2, 4, 1)
    deleted = ws.documents.delete("talks")
    assert (deleted.uid, deleted.title, deleted.spans) == ("talks", "Talks", {"alice": 2, "bob": 1})
    assert deleted.summary() == "deleted document 'talks' (Talks) and 3 spans: 2 of alice, 1 of bob"
    assert counts(ws) == (1, 1, 0)
    with pytest.raises(AnnotatorError, match="there is no document 'talks'; nothing was deleted"):
        ws.documents.delete("talks")
    # The command line, as the owner.
    target = ws.db.reopen_target if ws.is_sqlite else ws.db.engine.url.render_as_string(hide_password=False)
    assert main(["--db", target, "delete-document", "other"]) == 0
    assert capsys.readouterr().out == "deleted document 'other' (other) and 1 spans: 1 of bob\n"
    assert main(["--db", target, "delete-document", "other"]) == 1
    assert "there is no document 'other'" in capsys.readouterr().err
    assert counts(ws) == (0, 0, 0)
