"""doccano JSONL: the record shape doccano imports, exact offsets, round trip, and every bad field named."""

from __future__ import annotations

import re

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
    assert set(obj) == {"id", "text", "label", "annotators", "cats"}
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
    with pytest.raises(FormatError, match=r"past the end.*--offsets utf16"):
        doccano.parse({"text": text, "label": [[1, 4, "x"]]}, "f", 1, "a", "codepoints")
    with pytest.raises(FormatError, match="past the end"):
        doccano.parse({"text": text, "label": [[1, 5, "x"]]}, "f", 1, "a")


# --- every shape doccano writes, read or refused, never an empty document ----------------------

FIRE = "👨🏻‍🚒 firemen drive firetrucks 🇺🇦 at work"


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_entities_shape_of_projects_with_relations() -> None:
    text = "Putin met Xi."
    obj = {
        "id": 3,
        "text": text,
        "entities": [
            {"id": 11, "label": "framing", "start_offset": 0, "end_offset": 5},
            {"id": 12, "label": "leverage", "start_offset": 10, "end_offset": 12},
        ],
        "relations": [{"id": 1, "from_id": 11, "to_id": 12, "type": "meets"}],
        "Comments": [],
    }
    rec = doccano.parse(obj, "f.jsonl", 1, "alice")
    assert [(s.start, s.end, s.label) for s in rec.spans] == [(0, 5, "framing"), (10, 12, "leverage")]
    assert rec.meta == {"relations": obj["relations"], "Comments": []}


def test_labels_triples_of_doccano_1x() -> None:
    rec = doccano.parse({"text": "Putin met Xi.", "labels": [[0, 5, "framing"]]}, "f", 1, "alice")
    assert [(s.start, s.end, s.label) for s in rec.spans] == [(0, 5, "framing")]
    assert rec.meta == {}


def test_annotations_with_label_names_are_read_and_with_label_ids_refused() -> None:
    ok = {"text": "Putin met Xi.", "annotations": [{"label": "framing", "start_offset": 0, "end_offset": 5}]}
    assert [s.label for s in doccano.parse(ok, "f", 1, "a").spans] == ["framing"]
    ids = {
        "text": "Putin met Xi.",
        "annotations": [{"label": 3, "start_offset": 0, "end_offset": 5, "user": 1}],
    }
    with pytest.raises(FormatError, match=r"field 'annotations\[0\]\.label': is a label id \(3\)"):
        doccano.parse(ids, "f", 1, "a")


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"text": "abc", "entities": [{"label": "x", "start_offset": 0}]}, "entities[0].end_offset"),
        ({"text": "abc", "entities": "x"}, "entities"),
        ({"text": "abc", "label": [[0, 1, 7]]}, "label[0][2]"),
    ],
)
def test_bad_shapes_name_the_field(obj: dict, field: str) -> None:
    with pytest.raises(FormatError, match=rf"field '{re.escape(field)}'"):
        doccano.parse(obj, "f", 1, "a")


def test_two_span_fields_are_refused() -> None:
    with pytest.raises(FormatError, match="both 'label' and 'entities'"):
        doccano.parse({"text": "abc", "label": [], "entities": []}, "f", 1, "a")


def test_utf16_offsets_on_astral_text_are_converted_not_shifted() -> None:
    start = FIRE.index("firetrucks")
    triple = [utf16(FIRE, start), utf16(FIRE, start + 10), "framing"]
    rec = doccano.parse({"text": FIRE, "label": [triple]}, "f", 1, "a")
    [span] = rec.spans
    assert FIRE[span.start : span.end] == "firetrucks"
    # Counted as code points, the same numbers would select other text: that is the old bug.
    assert FIRE[triple[0] : triple[1]] != "firetrucks"
    # Written back, doccano gets its own numbers again.
    assert orjson.loads(doccano.dump(rec))["label"] == [triple]


def test_an_offset_inside_a_surrogate_pair_is_refused() -> None:
    with pytest.raises(FormatError, match=r"label\[0\]\[0\]'.*inside the surrogate pair"):
        doccano.parse({"text": FIRE, "label": [[1, 5, "framing"]]}, "f", 1, "a")


def test_every_line_of_an_export_has_the_same_keys() -> None:
    one = DocumentRecord(uid="a", text="abc", spans=[SpanRecord(0, 1, "x", "alice")])
    two = DocumentRecord(
        uid="b", text="abc", spans=[SpanRecord(0, 1, "x", "alice"), SpanRecord(0, 1, "x", "bob")]
    )
    empty = DocumentRecord(uid="c", text="abc")
    keys = [list(orjson.loads(doccano.dump(r))) for r in (one, two, empty)]
    assert keys[0] == keys[1] == keys[2]
    assert orjson.loads(doccano.dump(empty))["annotators"] == []
