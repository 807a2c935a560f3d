"""The native reader checks a document's spans in one fast loop (native._fast_spans) and falls back
to span-by-span parsing for the message: both must accept and refuse the same spans."""

from __future__ import annotations

import pytest

from annotator.domain.formats import native
from annotator.domain.records import FormatError, SpanRecord

TEXT = "Putin met Xi in 東京 😀."


def parse(spans: list[object]) -> list[SpanRecord]:
    return native.parse({"id": "d", "text": TEXT, "spans": spans}, "f.jsonl", 7, None).spans


def test_well_formed_spans_are_named_tuples_with_exact_offsets() -> None:
    spans = parse(
        [
            {"start": 0, "end": 5, "label": "PER", "annotator": "alice"},
            {"start": 16, "end": 18, "label": "LOC", "annotator": "bob", "note": "n", "text": "東京"},
            {"start": 19, "end": 20, "label": "PER", "annotator": "alice", "text": "😀"},
        ]
    )
    assert spans == [
        SpanRecord(0, 5, "PER", "alice"),
        SpanRecord(16, 18, "LOC", "bob", "n"),
        SpanRecord(19, 20, "PER", "alice"),
    ]
    assert type(spans[0]) is SpanRecord and spans[0].label == "PER"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"start": 0, "end": 99, "label": "PER", "annotator": "alice"}, "spans[1]"),
        ({"start": True, "end": 5, "label": "PER", "annotator": "alice"}, "spans[1].start"),
        ({"start": 0, "end": 5, "label": "P\x07R", "annotator": "alice"}, "spans[1].label"),
        ({"start": 0, "end": 5, "label": "   ", "annotator": "alice"}, "spans[1].label"),
        ({"start": 0, "end": 5, "label": ["PER"], "annotator": "alice"}, "spans[1].label"),
        ({"start": 0, "end": 5, "label": "PER", "annotator": "al\nice"}, "spans[1].annotator"),
        ({"start": 0, "end": 5, "label": "PER", "annotator": "alice", "note": 3}, "spans[1].note"),
        ({"start": 0, "end": 5, "label": "PER", "annotator": "alice", "text": "Xi"}, "spans[1].text"),
        ("PER", "spans[1]"),
    ],
)
def test_a_bad_span_after_good_ones_is_refused_with_its_field(bad: object, field: str) -> None:
    good = {"start": 0, "end": 5, "label": "PER", "annotator": "alice"}
    parse([good])  # "PER" and "alice" are now known good names
    with pytest.raises(FormatError) as caught:
        parse([good, bad])
    assert "line 7" in str(caught.value)
    assert field in str(caught.value)


def test_a_default_annotator_fills_spans_without_one() -> None:
    record = native.parse(
        {"text": TEXT, "spans": [{"start": 10, "end": 12, "label": "PER"}]}, "f.jsonl", 1, "carol"
    )
    assert record.spans == [SpanRecord(10, 12, "PER", "carol")]
