"""Export -> import into a new database -> export gives the same records, for every format that
can be read back (native JSONL, doccano, Prodigy), on text with CRLF, emoji and combining marks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace
from tests.services.conftest import import_ok, read_jsonl, write_jsonl

TEXTS = {
    "crlf": "Putin met Xi.\r\nTalks ended \u00e9arly.\r\n",
    "emoji": "Family 👩\u200d👩\u200d👧 and flag 🇯🇵 in Beijing.",
    "marks": "Cafe\u0301 talks: re\u0301sume\u0301 of leverage.",
}


def populated(make_workspace: Callable[[str], Workspace], tmp_path: Path) -> Workspace:
    ws = make_workspace("source.db")
    import_ok(ws, write_jsonl(tmp_path / "docs.jsonl", [{"id": k, "text": t} for k, t in TEXTS.items()]))
    labels = {x.name: x.id for x in ws.labels.list()}
    for name, shift in (("alice", 0), ("bob", 1)):
        me = ws.annotators.sign_in(name)
        for doc in ws.documents.list_for(me.id):
            text = TEXTS[doc.uid]
            word = text.split()[1 + shift]
            start = text.index(word)
            ws.annotations.add(doc.id, me.id, labels["framing"], start, start + len(word))
            ws.annotations.add(doc.id, me.id, labels["leverage"], 0, len(text.split()[0]))
            ws.documents.set_status(doc.id, me.id, "done")
    return ws


@pytest.mark.parametrize(
    ("fmt", "flt", "import_annotator"),
    [
        ("jsonl", ExportFilter(), None),
        ("doccano", ExportFilter(annotators=["alice"]), "alice"),
        ("prodigy", ExportFilter(), None),
    ],
)
def test_round_trip(
    make_workspace: Callable[[str], Workspace],
    tmp_path: Path,
    fmt: str,
    flt: ExportFilter,
    import_annotator: str | None,
) -> None:
    source = populated(make_workspace, tmp_path)
    first = tmp_path / f"first.{fmt}.jsonl"
    source.exporter.export(fmt, flt, path=first)
    target = make_workspace("target.db")
    result = target.importer.import_paths([first], fmt=fmt, annotator=import_annotator)
    assert result.ok, result.files[0].error
    second = tmp_path / f"second.{fmt}.jsonl"
    target.exporter.export(fmt, flt, path=second)
    before, after = read_jsonl(first.read_bytes()), read_jsonl(second.read_bytes())
    if fmt == "jsonl":  # statuses travel only in the native format
        assert before == after
    else:
        assert sorted(map(str, before)) == sorted(map(str, after))
    for record in after:
        spans = record.get("spans") or [{"start": s, "end": e} for s, e, _ in record.get("label", [])]
        assert spans, record
        for span in spans:
            assert record["text"] == TEXTS[record.get("id") or record["meta"]["id"]]
            assert (
                span.get("text", record["text"][span["start"] : span["end"]])
                == record["text"][span["start"] : span["end"]]
            )
