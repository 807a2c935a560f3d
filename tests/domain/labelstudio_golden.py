"""The documents whose Label Studio exports are saved in tests/data/export_golden: the golden records
and a few with notes, document labels and an annotator who gave only document labels."""

from __future__ import annotations

from annotator.domain.records import DocumentLabelRecord, DocumentRecord, SpanRecord
from tests.domain.golden_records import golden_records

TEXT = "Putin met Xi in 東京 👨‍👩‍👧‍👦.\r\nשָׁלוֹם — Cafe\u0301 3.5%"


def labelstudio_records() -> list[DocumentRecord]:
    extra = [
        DocumentRecord(
            "notes-and-choices",
            TEXT,
            "Notes",
            {"source": "test"},
            [
                SpanRecord(0, 5, "PER", "alice", "a note\nover two lines"),
                SpanRecord(10, 12, "PER", "bob"),
                SpanRecord(16, 18, "LOC", "alice", '東京 "quoted"'),
                SpanRecord(19, 30, "MISC", "bob", None),
            ],
            {"alice": "done", "carol": "in_progress"},  # type: ignore[dict-item]
            [
                DocumentLabelRecord("relevant", "alice", "relevance"),
                DocumentLabelRecord("neutral", "alice", "tone"),
                DocumentLabelRecord("negative", "dave", "tone"),  # dave gave only document labels
                DocumentLabelRecord("positive", "dave", "tone"),
            ],
        ),
        DocumentRecord(None, "", "Empty"),
    ]
    return [*golden_records(), *extra]
