"""The native JSONL line written in pieces (the text alone, the spans a few at a time) is byte for byte
``orjson.dumps`` of the whole object, as the writer made it before it was streamed."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from annotator.domain.formats import native
from annotator.domain.formats.document_labels import native_document_labels
from annotator.domain.records import DocumentLabelRecord, DocumentRecord, SpanRecord
from tests.domain.golden_records import golden_records


def _whole(record: DocumentRecord) -> bytes:
    text = record.text
    out: dict[str, Any] = {
        "id": record.uid,
        "title": record.title,
        "text": text,
        "meta": record.meta,
        "spans": [
            {
                "start": s.start,
                "end": s.end,
                "text": text[s.start : s.end],
                "label": s.label,
                "annotator": s.annotator,
                "note": s.note,
            }
            for s in record.spans
        ],
        "status": [
            {"annotator": name, "state": state, "guidelines_version": record.guidelines.get(name)}
            for name, state in sorted(record.status.items())
        ],
        "document_labels": native_document_labels(record),
        "comments": [{"annotator": name, "text": body} for name, body in sorted(record.comments.items())],
    }
    return orjson.dumps(out) + b"\n"


def _rich() -> DocumentRecord:
    record = DocumentRecord(
        7,  # type: ignore[arg-type]
        'Quote "this"\n\\ \x01 \u2028 👍🏽',
        'Tit"le',
        {"source": "wire", "nested": {"k": [1, 2.5, None]}},
        [SpanRecord(0, 5, "PER", "alice", "a note"), SpanRecord(6, 12, "LOC", "bob")],
        {"alice": "done", "bob": "in_progress"},  # type: ignore[dict-item]
    )
    record.guidelines = {"alice": 3}
    record.comments = {"bob": "Is it?"}
    record.document_labels = [DocumentLabelRecord("frame", "alice", "topic")]
    return record


@pytest.mark.parametrize("piece", [native.SPAN_PIECE, 1, 3])
def test_the_line_in_pieces_is_the_whole_object_serialized(
    piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "SPAN_PIECE", piece)
    records = [*golden_records(), _rich(), DocumentRecord(None, "")]  # type: ignore[arg-type]
    for record in records:
        pieces = list(native.dump_pieces(record))
        assert b"".join(pieces) == _whole(record), record.uid
        if len(record.spans) > piece:
            assert len(pieces) > 4  # the spans did come a piece at a time


@pytest.mark.parametrize("piece", [1, 2, 5])
def test_a_long_text_serialized_in_pieces_is_the_text_serialized_whole(
    piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.domain.formats import json_text

    monkeypatch.setattr(json_text, "TEXT_PIECE", piece)
    for text in ['Quote "this"\n\\ \x01\x1f \u2028 👍🏽 東京\r\n\ufeff שָׁלוֹם', "", "a", "👨‍👩‍👧‍👦" * 3]:
        pieces = list(json_text.json_string_pieces(text))
        assert b"".join(pieces) == orjson.dumps(text)
        assert len(pieces) == (1 if len(text) <= piece else 2 + -(-len(text) // piece))
