"""Files in the exact shapes doccano, Prodigy and Label Studio write: imported right or refused, never
silently empty or shifted; and what we export for those tools reads back the same."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace
from tests.services.conftest import counts, import_ok, read_jsonl, write_jsonl
from tests.services.test_import import stored_spans, stored_statuses

FIRE = "👨🏻‍🚒 firemen drive firetrucks 🇺🇦 at work"


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def import_error(ws: Workspace, path: Path, **kwargs) -> str:
    result = ws.importer.import_paths([path], **kwargs)
    assert not result.ok
    return result.files[0].error or ""


def span_texts(ws: Workspace) -> set[tuple[str, str, str]]:
    docs = {d.uid: d for d in ws.documents.list_for(ws.annotators.sign_in("reader").id)}
    out = set()
    for uid, annotator, label, start, end, _ in stored_spans(ws):
        out.add((annotator, label, ws.documents.get(docs[uid].id).text[start:end]))
    return out


def test_doccano_entities_file_imports_its_spans(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "doccano.jsonl",
        [
            {
                "id": 1,
                "text": "Putin met Xi.",
                "entities": [{"id": 5, "label": "framing", "start_offset": 0, "end_offset": 5}],
                "relations": [],
            }
        ],
    )
    report = ws.importer.import_paths([path], annotator="alice").files[0]
    assert report.ok and report.format == "doccano" and report.spans_added == 1


def test_doccano_label_ids_are_refused_and_nothing_is_stored(ws: Workspace, tmp_path: Path) -> None:
    before = counts(ws)
    path = write_jsonl(
        tmp_path / "doccano.jsonl",
        [{"text": "Putin.", "annotations": [{"label": 2, "start_offset": 0, "end_offset": 5, "user": 1}]}],
    )
    error = import_error(ws, path, annotator="alice")
    assert "line 1, field 'annotations[0].label'" in error and "label id" in error
    assert counts(ws) == before


def test_doccano_utf16_offsets_are_stored_as_the_text_they_meant(ws: Workspace, tmp_path: Path) -> None:
    start = FIRE.index("firetrucks")
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [{"id": "f", "text": FIRE, "label": [[utf16(FIRE, start), utf16(FIRE, start + 10), "framing"]]}],
    )
    import_ok_as(ws, path, annotator="alice")
    assert span_texts(ws) == {("alice", "framing", "firetrucks")}
    # Exported for doccano, the same UTF-16 numbers; as code points on request.
    out = io.BytesIO()
    ws.exporter.export("doccano", ExportFilter(), stream=out)
    [line] = [r for r in read_jsonl(out.getvalue()) if r["id"] == "f"]
    assert line["label"] == [[utf16(FIRE, start), utf16(FIRE, start + 10), "framing"]]
    out = io.BytesIO()
    ws.exporter.export("doccano", ExportFilter(), stream=out, offsets="codepoints")
    [line] = [r for r in read_jsonl(out.getvalue()) if r["id"] == "f"]
    assert line["label"] == [[start, start + 10, "framing"]]


def import_ok_as(ws: Workspace, path: Path, **kwargs):
    result = ws.importer.import_paths([path], **kwargs)
    assert result.ok, [f.error for f in result.files]
    return result.files[0]


def test_doccano_codepoint_offsets_under_the_option(ws: Workspace, tmp_path: Path) -> None:
    start = FIRE.index("firetrucks")
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": FIRE, "label": [[start, start + 10, "framing"]]}])
    import_ok_as(ws, path, annotator="alice", offsets="codepoints")
    assert span_texts(ws) == {("alice", "framing", "firetrucks")}


def prodigy_task(annotator: str, answer: str, spans: list) -> dict:
    return {
        "text": "Putin met Xi in Beijing.",
        "spans": spans,
        "_annotator_id": annotator,
        "answer": answer,
        "meta": {"id": "p1"},
    }


def test_prodigy_accepted_answers_are_finished_documents(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "prodigy.jsonl",
        [
            prodigy_task("alice", "accept", [{"start": 0, "end": 5, "label": "framing"}]),
            prodigy_task("bob", "accept", [{"start": 0, "end": 5, "label": "framing"}]),
            prodigy_task("carol", "reject", []),
        ],
    )
    import_ok(ws, path)
    assert stored_statuses(ws) == {("p1", "alice"): "done", ("p1", "bob"): "done"}
    assert ws.review.agreement(annotators=["alice", "bob"], labels=[], per_document=False)["documents"] == 1
    out = io.BytesIO()
    ws.exporter.export("jsonl", ExportFilter(done_only=True), stream=out)
    assert [r["id"] for r in read_jsonl(out.getvalue())] == ["p1"]


def test_a_file_of_only_rejected_answers_says_so(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "prodigy.jsonl",
        [prodigy_task("a", "reject", []), prodigy_task("b", "reject", []), prodigy_task("c", "ignore", [])],
    )
    error = import_error(ws, path)
    assert "no accepted answers (1 ignored, 2 rejected)" in error and "empty" not in error


def labelstudio_export(tmp_path: Path) -> Path:
    text = FIRE
    start = text.index("firetrucks")
    tasks = [
        {
            "id": 41,
            "data": {"text": text},
            "annotations": [
                {
                    "completed_by": 1,
                    "was_cancelled": False,
                    "result": [
                        {
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {
                                "start": start,
                                "end": start + 10,
                                "text": "firetrucks",
                                "labels": ["framing"],
                            },
                        }
                    ],
                },
                {"completed_by": 2, "was_cancelled": False, "result": []},
            ],
        }
    ]
    path = tmp_path / "project-1-at-2026.json"
    path.write_bytes(orjson.dumps(tasks, option=orjson.OPT_INDENT_2))
    return path


@pytest.mark.parametrize("fmt", ["auto", "labelstudio"])
def test_labelstudio_json_export_is_imported(ws: Workspace, tmp_path: Path, fmt: str) -> None:
    report = ws.importer.import_paths([labelstudio_export(tmp_path)], fmt=fmt).files[0]
    assert report.ok, report.error
    assert report.format == "labelstudio"
    assert span_texts(ws) == {("user-1", "framing", "firetrucks")}
    assert stored_statuses(ws) == {("41", "user-1"): "done", ("41", "user-2"): "done"}


def test_labelstudio_export_reads_back_and_writes_its_config(ws: Workspace, tmp_path: Path) -> None:
    import_ok(ws, labelstudio_export(tmp_path))
    out = tmp_path / "out" / "tasks.json"
    out.parent.mkdir()
    summary = ws.exporter.export("labelstudio", ExportFilter(), path=out)
    tasks = orjson.loads(out.read_bytes())
    assert isinstance(tasks, list) and summary.documents == len(tasks)
    fire = next(t for t in tasks if t["data"]["text"] == FIRE)
    [result] = [r for a in fire["annotations"] for r in a["result"]]
    value = result["value"]
    assert FIRE[value["start"] : value["end"]] == value["text"] == "firetrucks"
    config = (tmp_path / "out" / "tasks.config.xml").read_text("utf-8")
    assert config.startswith("<View>") and '<Label value="framing"' in config
    merged_before = counts(ws)
    report = import_ok(ws, out)
    assert (report.documents_added, report.spans_added) == (0, 0)
    assert counts(ws) == merged_before


def test_unknown_labels_are_refused_or_created_on_request(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": "Putin met Xi.", "label": [[0, 5, "Person name"]]}])
    error = import_error(ws, path, annotator="alice")
    assert "unknown label 'Person name'" in error and "--create-labels" in error
    report = import_ok_as(ws, path, annotator="alice", create_labels=True)
    assert report.spans_added == 1 and report.labels_added == ["Person name"]
    assert "new labels: Person name" in report.summary()
    label = ws.labels.by_name("Person name")
    assert label.color.startswith("#") and not label.archived


def test_native_status_list_and_old_object_shape(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "n.jsonl",
        [
            {"id": "a", "text": "One.", "status": [{"annotator": "alice", "state": "done"}]},
            {"id": "b", "text": "Two.", "status": {"bob": "in_progress"}},
        ],
    )
    import_ok(ws, path)
    assert stored_statuses(ws) == {("a", "alice"): "done", ("b", "bob"): "in_progress"}
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": "x", "status": [{"annotator": "alice"}]}])
    assert "field 'status[0].state': missing" in import_error(ws, bad)


def test_offsets_option_on_a_format_that_has_none_is_refused(ws: Workspace, tmp_path: Path) -> None:
    native = write_jsonl(tmp_path / "n.jsonl", [{"text": "One."}])
    assert "--offsets applies to doccano and Label Studio" in import_error(ws, native, offsets="utf16")
    plain = tmp_path / "p.txt"
    plain.write_text("Hello", "utf-8")
    assert "this is txt" in import_error(ws, plain, offsets="codepoints")
