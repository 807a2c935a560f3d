"""doccano JSONL: the record shape doccano imports, exact offsets, round trip, and every bad field named."""

from __future__ import annotations

import orjson
import pytest

from annotator.domain.formats import doccano
from annotator.domain.records import DocumentRecord, FormatError, SpanRecord
from tests.domain.format_samples import TEXTS, record


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_dump_is_one_doccano_line_with_exact_offsets(name):
    rec = record(name)
    raw = doccano.dump(rec, "codepoints")
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1
    obj = orjson.loads(raw)
    assert set(obj) == {"id", "text", "label", "annotators"}
    assert obj["id"] == rec.uid
    assert obj["text"] == rec.text
    expected = sorted((s.start, s.end, s.label) for s in rec.spans)
    assert [tuple(item) for item in obj["label"]] == expected
    for start, end, label in obj["label"]:
        assert isinstance(start, int) and isinstance(end, int) and isinstance(label, str)
        assert any(
            s.start == start and s.end == end and obj["text"][start:end] == rec.text[start:end]
            for s in rec.spans
        )


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_round_trip_keeps_spans(name):
    rec = record(name)
    back = doccano.parse(orjson.loads(doccano.dump(rec)), "in.jsonl", 1, "alice")
    assert back.spans  # UTF-16 both ways by default
    again = doccano.parse(orjson.loads(doccano.dump(rec, "codepoints")), "in.jsonl", 1, "alice", "codepoints")
    assert again.spans == back.spans
    assert back.text == rec.text
    assert back.uid == rec.uid
    assert sorted(back.spans, key=lambda s: (s.start, s.end)) == sorted(
        rec.spans, key=lambda s: (s.start, s.end)
    )


def test_several_annotators_are_listed_and_identical_spans_written_once():
    rec = DocumentRecord(
        uid="d",
        text="Putin met Xi.",
        spans=[
            SpanRecord(0, 5, "framing", "bob"),
            SpanRecord(0, 5, "framing", "alice"),
            SpanRecord(10, 12, "leverage", "alice"),
        ],
    )
    obj = orjson.loads(doccano.dump(rec))
    assert obj["annotators"] == ["alice", "bob"]
    assert obj["label"] == [[0, 5, "framing"], [10, 12, "leverage"]]


def test_parse_accepts_integer_id_missing_label_and_keeps_other_keys_as_meta():
    rec = doccano.parse({"id": 7, "text": "abc", "source": "x", "title": "T"}, "f.jsonl", 3, "bob")
    assert rec.uid == "7" and rec.spans == [] and rec.meta == {"source": "x"} and rec.title == "T"


GOOD_TEXT = "Putin met Xi."


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"label": []}, "text"),
        ({"text": 5}, "text"),
        ({"text": None}, "text"),
        ({"text": GOOD_TEXT, "label": {"a": 1}}, "label"),
        ({"text": GOOD_TEXT, "label": [[0, 5]]}, "label[0]"),
        ({"text": GOOD_TEXT, "label": ["0 5 framing"]}, "label[0]"),
        ({"text": GOOD_TEXT, "label": [[0, 5, "framing"], [0, 5, "x", "y"]]}, "label[1]"),
        ({"text": GOOD_TEXT, "label": [["0", 5, "framing"]]}, "label[0][0]"),
        ({"text": GOOD_TEXT, "label": [[True, 5, "framing"]]}, "label[0][0]"),
        ({"text": GOOD_TEXT, "label": [[0, 5.0, "framing"]]}, "label[0][1]"),
        ({"text": GOOD_TEXT, "label": [[-1, 5, "framing"]]}, "label[0][0]"),
        ({"text": GOOD_TEXT, "label": [[0, 14, "framing"]]}, "label[0][1]"),
        ({"text": GOOD_TEXT, "label": [[5, 5, "framing"]]}, "label[0][0]"),
        ({"text": GOOD_TEXT, "label": [[6, 5, "framing"]]}, "label[0][0]"),
        ({"text": GOOD_TEXT, "label": [[0, 5, 3]]}, "label[0][2]"),
        ({"text": GOOD_TEXT, "label": [[0, 5, " "]]}, "label[0][2]"),
        ({"text": GOOD_TEXT, "id": True}, "id"),
        ({"text": GOOD_TEXT, "id": [1]}, "id"),
    ],
)
def test_bad_fields_name_file_line_and_field(obj, field):
    with pytest.raises(FormatError) as info:
        doccano.parse(obj, "team/alice.jsonl", 7, "alice")
    err = info.value
    assert err.line == 7 and err.field_name == field and err.path == "team/alice.jsonl"
    assert str(err).startswith(f"team/alice.jsonl, line 7, field '{field}': ")


def test_not_an_object():
    with pytest.raises(FormatError, match="line 2: expected a JSON object"):
        doccano.parse([1, 2], "f.jsonl", 2, "alice")


def test_offsets_past_the_end_in_either_unit():
    text = "a😀b"  # 3 code points, 4 UTF-16 units
    obj = {"text": text, "label": [[1, 3, "x"]]}
    assert doccano.parse(obj, "f", 1, "a", "codepoints").spans[0].end == 3
    assert doccano.parse({"text": text, "label": [[1, 4, "x"]]}, "f", 1, "a").spans[0].end == 3
    with pytest.raises(FormatError, match="past the end.*--offsets utf16"):
        doccano.parse({"text": text, "label": [[1, 4, "x"]]}, "f", 1, "a", "codepoints")
    with pytest.raises(FormatError, match="past the end"):
        doccano.parse({"text": text, "label": [[1, 5, "x"]]}, "f", 1, "a")
