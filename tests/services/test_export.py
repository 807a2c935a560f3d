"""Native JSONL export: exact offsets, filters, atomic files, and a lossless round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace
from tests.services.conftest import import_ok, read_jsonl, write_jsonl

TEXTS = [
    "Putin 😀 met Xi in 北京.\r\nThe deal: e\u0301conomic.",
    "\ufeffשלום world\u2028second 👩‍👩‍👧 family",
    "Plain ASCII document nobody finished.",
]


@pytest.fixture
def populated(ws: Workspace, tmp_path: Path) -> Workspace:
    """Three documents; alice finished d0 and started d1, bob started d0, nobody touched d2."""
    import_ok(
        ws, write_jsonl(tmp_path / "src.jsonl", [{"id": f"d{i}", "text": t} for i, t in enumerate(TEXTS)])
    )
    labels = {label.name: label.id for label in ws.labels.list()}
    alice, bob = ws.annotators.sign_in("alice"), ws.annotators.sign_in("bob")
    docs = {d.uid: d.id for d in ws.documents.list_for(alice.id)}
    t0, t1 = TEXTS[0], TEXTS[1]
    add = ws.annotations.add
    add(docs["d0"], alice.id, labels["framing"], 0, 5)
    add(docs["d0"], alice.id, labels["leverage"], t0.index("😀"), t0.index("😀") + 1, "emoji")
    add(docs["d0"], alice.id, labels["economic outcome"], t0.index("e\u0301"), len(t0))
    add(docs["d1"], alice.id, labels["framing"], 0, 5)
    add(docs["d0"], bob.id, labels["framing"], 0, 5)
    add(docs["d0"], bob.id, labels["strategic messaging"], t0.index("北"), t0.index("京") + 1)
    add(docs["d1"], bob.id, labels["leverage"], t1.index("👩"), len(t1))
    ws.documents.set_status(docs["d0"], alice.id, "done")
    return ws


def export_records(ws: Workspace, **kwargs) -> list[dict]:
    buffer = io.BytesIO()
    ws.exporter.export("jsonl", ExportFilter(**kwargs), stream=buffer)
    return read_jsonl(buffer.getvalue())


def span_keys(records: list[dict]) -> set[tuple[str, str, str, int, int]]:
    return {(r["id"], s["annotator"], s["label"], s["start"], s["end"]) for r in records for s in r["spans"]}


def test_every_span_matches_its_slice(populated: Workspace) -> None:
    records = export_records(populated)
    assert [r["id"] for r in records] == ["d0", "d1", "d2"]
    assert [r["text"] for r in records] == TEXTS  # stored and exported exactly (BOM, CRLF, U+2028)
    spans = [(r, s) for r in records for s in r["spans"]]
    assert len(spans) == 7
    for record, span in spans:
        assert record["text"][span["start"] : span["end"]] == span["text"]
    emoji = next(s for _, s in spans if s["note"] == "emoji")
    assert emoji["text"] == "😀"
    assert records[0]["status"] == [
        {"annotator": "alice", "state": "done", "guidelines_version": None},
        {"annotator": "bob", "state": "in_progress", "guidelines_version": None},
    ]
    assert records[2]["spans"] == [] and records[2]["status"] == []


def test_annotator_filter(populated: Workspace) -> None:
    records = export_records(populated, annotators=["bob"])
    assert [r["id"] for r in records] == ["d0", "d1"]  # d2 was untouched by bob
    assert {s["annotator"] for r in records for s in r["spans"]} == {"bob"}
    assert len(span_keys(records)) == 3
    assert all({s["annotator"] for s in r["status"]} <= {"bob"} for r in records)


def test_label_filter(populated: Workspace) -> None:
    records = export_records(populated, labels=["framing"])
    assert span_keys(records) == {
        ("d0", "alice", "framing", 0, 5),
        ("d1", "alice", "framing", 0, 5),
        ("d0", "bob", "framing", 0, 5),
    }
    two = export_records(populated, labels=["framing", "leverage"])
    assert {k[2] for k in span_keys(two)} == {"framing", "leverage"}
    assert len(span_keys(two)) == 5


def test_done_only(populated: Workspace) -> None:
    records = export_records(populated, done_only=True)
    assert [r["id"] for r in records] == ["d0"]
    assert {s["annotator"] for s in records[0]["spans"]} == {"alice"}
    assert len(records[0]["spans"]) == 3
    assert records[0]["status"] == [{"annotator": "alice", "state": "done", "guidelines_version": None}]
    assert export_records(populated, annotators=["bob"], done_only=True) == []


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [({"annotators": ["nobody"]}, "nobody"), ({"labels": ["sarcasm"]}, "sarcasm")],
)
def test_unknown_names_are_refused(populated: Workspace, tmp_path: Path, kwargs: dict, needle: str) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(AnnotatorError, match=needle):
        populated.exporter.export("jsonl", ExportFilter(**kwargs), path=out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
    assert not out.exists()


def test_unknown_format_is_refused(populated: Workspace, tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match="xml"):
        populated.exporter.export("xml", ExportFilter(), path=tmp_path / "out.xml")
    assert not (tmp_path / "out.xml").exists()


def test_export_to_missing_folder_leaves_nothing(populated: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "out.jsonl"
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(AnnotatorError, match="does not exist"):
        populated.exporter.export("jsonl", ExportFilter(), path=out)
    assert not out.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_existing_output_is_replaced_whole(populated: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"old content that is much longer than nothing\n" * 10_000)
    summary = populated.exporter.export("jsonl", ExportFilter(labels=["leverage"]), path=out)
    records = read_jsonl(out.read_bytes())
    assert b"old content" not in out.read_bytes()
    assert (summary.documents, summary.spans) == (3, 2)
    assert len(records) == 3
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failed_export_keeps_the_old_file(populated: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"previous export\n")

    def explode(done: int, total: int) -> None:
        raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        populated.exporter.export("jsonl", ExportFilter(), path=out, progress=explode)
    assert out.read_bytes() == b"previous export\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_round_trip_is_identical(populated: Workspace, make_workspace, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    populated.exporter.export("jsonl", ExportFilter(), path=first)
    fresh = make_workspace("fresh.db")
    report = import_ok(fresh, first)
    assert (report.documents_added, report.spans_added) == (3, 7)
    second = tmp_path / "second.jsonl"
    fresh.exporter.export("jsonl", ExportFilter(), path=second)
    assert read_jsonl(second.read_bytes()) == read_jsonl(first.read_bytes())
