"""Label Studio: its JSON export and JSON-MIN read with annotators and exact offsets; tasks written back."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import orjson
import pytest

from annotator.domain.formats import labelstudio
from annotator.domain.records import DocumentRecord, FormatError, SpanRecord
from tests.domain.format_samples import TEXTS, record


def region(text: str, needle: str, label: str, *, utf16: bool = False) -> dict:
    start = text.index(needle)
    end = start + len(needle)
    if utf16:
        start, end = (len(text[:i].encode("utf-16-le")) // 2 for i in (start, end))
    return {
        "id": "r1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": needle, "labels": [label]},
    }


def task(text: str, annotations: list[dict], **extra) -> dict:
    return {"id": 7, "data": {"text": text}, "annotations": annotations, "predictions": [], **extra}


def parse(tasks: list, **kwargs) -> list[DocumentRecord]:
    return list(labelstudio.parse_file(orjson.dumps(tasks), "ls.json", kwargs.pop("default", None), **kwargs))


def test_json_export_with_two_annotators_and_a_skipped_one() -> None:
    text = TEXTS["emoji"]
    tasks = [
        task(
            text,
            [
                {"completed_by": 1, "result": [region(text, "👨‍👩‍👧‍👦", "framing")], "was_cancelled": False},
                {
                    "completed_by": {"id": 2, "email": "bob@example.org"},
                    "result": [region(text, "❤️‍🔥", "leverage")],
                },
                {"completed_by": 3, "result": [], "was_cancelled": True},
                {"completed_by": 4, "result": [{"type": "choices", "value": {"choices": ["x"]}}]},
            ],
        )
    ]
    [rec] = parse(tasks)
    assert rec.uid == "7"
    got = {(s.annotator, s.label, text[s.start : s.end]) for s in rec.spans}
    assert got == {("user-1", "framing", "👨‍👩‍👧‍👦"), ("bob@example.org", "leverage", "❤️‍🔥")}
    assert rec.status == {"user-1": "done", "bob@example.org": "done", "user-4": "done"}


@pytest.mark.parametrize("name", ["crlf", "emoji", "combining", "cjk", "rtl", "u2028"])
def test_offsets_are_code_points_and_checked_against_value_text(name: str) -> None:
    rec = record(name)
    text = rec.text
    results = [region(text, text[s.start : s.end], s.label) for s in rec.spans]
    [back] = parse([task(text, [{"completed_by": 1, "result": results}])])
    assert [(s.start, s.end, s.label) for s in back.spans] == [(s.start, s.end, s.label) for s in rec.spans]


def test_utf16_offsets_from_an_old_version_are_refused_with_the_option_or_read_with_it() -> None:
    text = "👨🏻‍🚒 firemen drive firetrucks at work"
    tasks = [task(text, [{"completed_by": 1, "result": [region(text, "firetrucks", "framing", utf16=True)]}])]
    with pytest.raises(FormatError, match=r"value\.text'.*--offsets utf16"):
        parse(tasks)
    [rec] = parse(tasks, offsets="utf16")
    assert [text[s.start : s.end] for s in rec.spans] == ["firetrucks"]


def test_span_text_that_matches_no_counting_is_refused() -> None:
    tasks = [task("Putin met Xi.", [{"completed_by": 1, "result": [region("Putin met Xi.", "Putin", "x")]}])]
    tasks[0]["annotations"][0]["result"][0]["value"]["text"] = "Xi"
    with pytest.raises(FormatError, match=r"\[0\]\.annotations\[0\]\.result\[0\]\.value\.text'"):
        parse(tasks)


def test_json_min() -> None:
    text = TEXTS["cjk"]
    rows = [
        {
            "id": 3,
            "text": text,
            "label": [{"start": 0, "end": 3, "text": "習近平", "labels": ["framing", "leverage"]}],
            "annotator": "ann@example.org",
            "annotation_id": 9,
            "lead_time": 3.2,
        }
    ]
    [rec] = parse(rows)
    assert [(s.start, s.end, s.label, s.annotator) for s in rec.spans] == [
        (0, 3, "framing", "ann@example.org"),
        (0, 3, "leverage", "ann@example.org"),
    ]
    assert rec.status == {"ann@example.org": "done"}


def test_no_annotator_needs_the_option() -> None:
    text = "Putin met Xi."
    tasks = [task(text, [{"result": [region(text, "Putin", "framing")]}])]
    with pytest.raises(FormatError, match=re.escape("annotations[0].completed_by")):
        parse(tasks)
    [rec] = parse(tasks, default="carol")
    assert rec.spans[0].annotator == "carol"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (b'{"data": {}}', None),
        (b"[1]", "[0]"),
        (b'[{"data": {"a": 1}}]', "[0].data.text"),
        (
            b'[{"data": {"text": "abc"}, "annotations": [{"completed_by": 1, "result": [{"value": {"start": 0, "labels": ["x"]}}]}]}]',
            "[0].annotations[0].result[0].value.end",
        ),
    ],
)
def test_bad_files_name_the_field(data: bytes, field: str | None) -> None:
    with pytest.raises(FormatError) as info:
        list(labelstudio.parse_file(data, "ls.json", None))
    assert info.value.field_name == field


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_dump_and_read_back(name: str) -> None:
    rec = record(name)
    rec.spans.append(SpanRecord(rec.spans[0].start, rec.spans[0].end, "framing", "bob", "a note"))
    rec.status = {"alice": "done"}
    rec.meta = {"source": "x"}
    for offsets in ("codepoints", "utf16"):
        task_obj = orjson.loads(labelstudio.dump_task(rec, offsets))
        assert task_obj["data"]["text"] == rec.text
        [back] = parse([task_obj], offsets=offsets)
        assert sorted(back.spans) == sorted(rec.spans)
        assert back.uid == rec.uid and back.meta == {"source": "x"}
        assert back.status == {"alice": "done", "bob": "done"}


def test_labeling_config_is_xml_with_every_label() -> None:
    config = labelstudio.labeling_config(
        [("strategic messaging", "#4e79a7"), ('a "quoted" <tag>', "#59a14f")]
    )
    root = ElementTree.fromstring(config)
    labels = root.find("Labels")
    assert labels is not None and labels.get("name") == "label" and labels.get("toName") == "text"
    assert [x.get("value") for x in labels] == ["strategic messaging", 'a "quoted" <tag>']
    assert root.find("Text").get("value") == "$text"


def test_a_json_list_is_told_from_jsonl() -> None:
    assert labelstudio.looks_like_labelstudio(b'\xef\xbb\xbf\r\n  [{"data": {}}]')
    assert not labelstudio.looks_like_labelstudio(b'{"text": "[not a list]"}\n')
