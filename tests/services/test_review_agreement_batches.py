"""The review's agreement reads its documents as column batches from the database (issue 16): on a
real SQLite file and the real PostgreSQL server, its figures are those of the per-unit
implementation (tests/domain/agreement_before.py) on the same documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.services import review
from annotator.services.workspace import Workspace
from tests.domain import agreement_before
from tests.domain.agreement_reference import random_corpus
from tests.domain.test_agreement_chunks import assert_same
from tests.services.conftest import write_jsonl

LABELS = ["framing", "leverage", "economic outcome"]
ANNOTATORS = ["alice", "bob", "carol"]


@pytest.mark.parametrize("packed", [True, False])
def test_review_agreement_equals_the_per_unit_figures(
    ws: Workspace, tmp_path: Path, packed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``packed``: offsets and ids read two to a 64-bit integer; else (ids of 2**31 or more) as they are."""
    if not packed:
        monkeypatch.setattr(review, "_HALF", 1)
    documents = [d for d in random_corpus(5, ANNOTATORS, LABELS, n_documents=700, max_words=40) if d.text]
    records = [
        {
            "id": d.uid,
            "text": d.text,
            "spans": [
                {"start": s.start, "end": s.end, "label": s.label, "annotator": s.annotator}
                for s in dict.fromkeys(d.spans)
            ],
            "status": {a: "done" for a in d.done_by},
        }
        for d in documents
    ]
    result = ws.importer.import_paths([write_jsonl(tmp_path / "corpus.jsonl", records)], create_labels=True)
    assert result.ok, [f.error for f in result.files]
    old = agreement_before.compute_agreement(documents, ANNOTATORS, LABELS, per_document=True)
    new = ws.review.agreement(annotators=ANNOTATORS, labels=LABELS, per_document=True)
    assert new.pop("document_labels")["labels"] == []
    assert old["documents"] > 500 and old["per_document"]  # more than one batch of 500
    # The database returns the documents in id order, which is the file's order here.
    assert_same(new, old)


def test_review_agreement_on_finished_documents_without_spans(ws: Workspace, tmp_path: Path) -> None:
    records = [
        {"id": f"d{k}", "text": f"text {k}\r\n", "spans": [], "status": {"alice": "done", "bob": "done"}}
        for k in range(3)
    ]
    result = ws.importer.import_paths([write_jsonl(tmp_path / "empty.jsonl", records)], create_labels=True)
    assert result.ok, [f.error for f in result.files]
    figures = ws.review.agreement(annotators=["alice", "bob"])
    assert figures["documents"] == 3
    assert figures["alpha"] and all(row["units"] == 15 for row in figures["alpha"])  # "text" + digit, x 3
