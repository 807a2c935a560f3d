"""Span edits and label management, each a committed transaction on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.domain.labels import LabelError
from annotator.services.workspace import Workspace
from tests.services.conftest import counts, import_ok, write_jsonl

TEXT = "Beijing 😀 and Moscow signed a deal."


@pytest.fixture
def setup(ws: Workspace, tmp_path: Path):
    import_ok(ws, write_jsonl(tmp_path / "src.jsonl", [{"id": "d", "text": TEXT}]))
    alice = ws.annotators.sign_in("alice")
    [doc] = ws.documents.list_for(alice.id)
    labels = {label.name: label.id for label in ws.labels.list()}
    return ws, doc.id, alice.id, labels


def reopened(ws: Workspace, tmp_path: Path) -> Workspace:
    """A second workspace on the same database: sees only what was committed."""
    return Workspace.open(str(ws.db.engine.url.render_as_string(hide_password=False)))


def test_add_delete_relabel_note_are_committed(setup, tmp_path: Path) -> None:
    ws, doc, alice, labels = setup
    span = ws.annotations.add(doc, alice, labels["framing"], 0, 7)
    other = reopened(ws, tmp_path)
    try:
        assert [(s.start, s.end, s.label_id) for s in other.annotations.spans_for(doc, alice)] == [
            (0, 7, labels["framing"])
        ]
        ws.annotations.relabel(span.id, labels["leverage"])
        ws.annotations.set_note(span.id, "  a city  ")
        [stored] = other.annotations.spans_for(doc, alice)
        assert (stored.label_id, stored.note) == (labels["leverage"], "a city")
        assert ws.annotations.set_note(span.id, "   ").note is None
        deleted = ws.annotations.delete(span.id)
        assert deleted.id == span.id
        assert other.annotations.spans_for(doc, alice) == []
    finally:
        other.close()


def test_emoji_offsets_are_code_points(setup) -> None:
    ws, doc, alice, labels = setup
    start = TEXT.index("😀")
    span = ws.annotations.add(doc, alice, labels["framing"], start, start + 1)
    assert TEXT[span.start : span.end] == "😀"
    ws.annotations.add(doc, alice, labels["framing"], 0, len(TEXT))  # the whole text is allowed


def test_duplicate_is_refused(setup) -> None:
    ws, doc, alice, labels = setup
    ws.annotations.add(doc, alice, labels["framing"], 0, 7)
    with pytest.raises(AnnotatorError, match="already"):
        ws.annotations.add(doc, alice, labels["framing"], 0, 7)
    ws.annotations.add(doc, alice, labels["leverage"], 0, 7)  # another label on the same text is fine
    bob = ws.annotators.sign_in("bob")
    ws.annotations.add(doc, bob.id, labels["framing"], 0, 7)  # another annotator too
    assert counts(ws)[1] == 3


def test_relabel_onto_an_existing_span_is_refused(setup) -> None:
    ws, doc, alice, labels = setup
    ws.annotations.add(doc, alice, labels["framing"], 0, 7)
    second = ws.annotations.add(doc, alice, labels["leverage"], 0, 7)
    with pytest.raises(AnnotatorError, match="already"):
        ws.annotations.relabel(second.id, labels["framing"])
    assert {s.label_id for s in ws.annotations.spans_for(doc, alice)} == {
        labels["framing"],
        labels["leverage"],
    }


@pytest.mark.parametrize(
    ("start", "end"), [(-1, 3), (3, 3), (5, 2), (0, len(TEXT) + 1), (len(TEXT), len(TEXT) + 1)]
)
def test_offsets_outside_the_text_are_refused(setup, start: int, end: int) -> None:
    ws, doc, alice, labels = setup
    with pytest.raises(AnnotatorError, match="outside"):
        ws.annotations.add(doc, alice, labels["framing"], start, end)
    assert counts(ws)[1] == 0
    assert ws.documents.status_of(doc, alice) == "todo"  # the refused add changed nothing


def test_unknown_document_label_or_span_is_refused(setup) -> None:
    ws, doc, alice, labels = setup
    with pytest.raises(AnnotatorError, match="does not exist"):
        ws.annotations.add(doc + 100, alice, labels["framing"], 0, 1)
    with pytest.raises(AnnotatorError, match="does not exist"):
        ws.annotations.add(doc, alice, 999, 0, 1)
    with pytest.raises(AnnotatorError, match="no longer exists"):
        ws.annotations.delete(12345)
    assert counts(ws)[1] == 0


def test_adding_a_span_starts_the_document(setup) -> None:
    ws, doc, alice, labels = setup
    assert ws.documents.status_of(doc, alice) == "todo"
    ws.annotations.add(doc, alice, labels["framing"], 0, 7)
    assert ws.documents.status_of(doc, alice) == "in_progress"
    ws.documents.set_status(doc, alice, "todo")
    ws.annotations.add(doc, alice, labels["framing"], 8, 9)
    assert ws.documents.status_of(doc, alice) == "in_progress"
    ws.documents.set_status(doc, alice, "done")
    ws.annotations.add(doc, alice, labels["leverage"], 8, 9)
    assert ws.documents.status_of(doc, alice) == "done"  # never moved backward
    [summary] = ws.documents.list_for(alice)
    assert (summary.status, summary.span_count) == ("done", 3)


def test_add_with_span_id_restores_under_the_old_id(setup) -> None:
    ws, doc, alice, labels = setup
    first = ws.annotations.add(doc, alice, labels["framing"], 0, 7, "note")
    ws.annotations.add(doc, alice, labels["framing"], 8, 9)
    deleted = ws.annotations.delete(first.id)
    restored = ws.annotations.add(
        doc, alice, deleted.label_id, deleted.start, deleted.end, deleted.note, span_id=deleted.id
    )
    assert restored == first
    assert first.id in {s.id for s in ws.annotations.spans_for(doc, alice)}


def test_unknown_status_is_refused(setup) -> None:
    ws, doc, alice, _ = setup
    with pytest.raises(AnnotatorError, match="unknown status"):
        ws.documents.set_status(doc, alice, "finished")


# --- labels --------------------------------------------------------------------------------------


def test_create_label(ws: Workspace) -> None:
    label = ws.labels.create("  Sarcasm   detected ", "#AABBCC", "S", " guideline ")
    assert (label.name, label.color, label.hotkey, label.description) == (
        "Sarcasm detected",
        "#aabbcc",
        "s",
        "guideline",
    )
    assert [lb.name for lb in ws.labels.list()][-1] == "Sarcasm detected"
    assert label.position == 4


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"name": "FRAMING"}, "already exists"),
        ({"name": " Leverage "}, "already exists"),
        ({"name": "new", "hotkey": "1"}, "hotkey 1 is already used"),
        ({"name": "new", "color": "red"}, "not a colour"),
        ({"name": "new", "color": "#12345"}, "not a colour"),
        ({"name": "new", "hotkey": "!"}, "cannot be a hotkey"),
        ({"name": "new", "hotkey": "ab"}, "cannot be a hotkey"),
        ({"name": "   "}, "needs a name"),
        ({"name": "x" * 201}, "too long"),
    ],
)
def test_label_refusals(ws: Workspace, kwargs: dict, needle: str) -> None:
    with pytest.raises(LabelError, match=needle):
        ws.labels.create(**kwargs)
    assert len(ws.labels.list(include_archived=True)) == 4


def test_update_refusals(ws: Workspace) -> None:
    framing = ws.labels.by_name("framing")
    with pytest.raises(LabelError, match="already exists"):
        ws.labels.update(framing.id, name="Leverage")
    with pytest.raises(LabelError, match="already used"):
        ws.labels.update(framing.id, hotkey="2")
    assert ws.labels.by_name("framing") == framing
    assert ws.labels.update(framing.id, name="FRAMING").name == "FRAMING"  # its own name in another case
    assert ws.labels.update(framing.id, hotkey=None).hotkey is None
    assert ws.labels.update(framing.id, color="#000000").hotkey is None  # default leaves the hotkey


def test_rename_keeps_spans(setup) -> None:
    ws, doc, alice, labels = setup
    ws.annotations.add(doc, alice, labels["framing"], 0, 7)
    ws.labels.update(labels["framing"], name="narrative framing")
    [span] = ws.annotations.spans_for(doc, alice)
    assert span.label_id == labels["framing"]
    from annotator.services.exporting import ExportFilter

    [record] = list(ws.exporter.records(ExportFilter()))
    assert [s.label for s in record.spans] == ["narrative framing"]


def test_archive_keeps_spans_and_frees_the_hotkey(setup) -> None:
    ws, doc, alice, labels = setup
    ws.annotations.add(doc, alice, labels["leverage"], 0, 7)
    archived = ws.labels.set_archived(labels["leverage"], True)
    assert archived.archived
    assert "leverage" not in [lb.name for lb in ws.labels.list()]
    assert "leverage" in [lb.name for lb in ws.labels.list(include_archived=True)]
    assert len(ws.annotations.spans_for(doc, alice)) == 1
    with pytest.raises(LabelError, match="already exists"):
        ws.labels.create("Leverage")  # archived names stay taken
    taker = ws.labels.create("pressure", hotkey="3")  # its hotkey is free while archived
    restored = ws.labels.set_archived(labels["leverage"], False)
    assert restored.hotkey is None
    assert ws.labels.by_name("pressure").hotkey == taker.hotkey == "3"


def test_reorder(ws: Workspace) -> None:
    ids = [lb.id for lb in ws.labels.list()]
    ws.labels.reorder(list(reversed(ids)))
    assert [lb.id for lb in ws.labels.list()] == list(reversed(ids))
    with pytest.raises(LabelError, match="every label"):
        ws.labels.reorder(ids[:2])
    assert [lb.id for lb in ws.labels.list()] == list(reversed(ids))


def test_restoring_a_span_whose_id_was_taken_meanwhile_gets_a_new_id(setup) -> None:
    ws, doc, alice, labels = setup
    first = ws.annotations.add(doc, alice, labels["framing"], 0, 7)
    ws.annotations.delete(first.id)
    other = ws.annotations.add(doc, alice, labels["leverage"], 10, 14)
    # Whether or not the database reused the id, the undo of the delete restores the span.
    restored = ws.annotations.add(
        doc, alice, first.label_id, first.start, first.end, first.note, span_id=first.id
    )
    assert restored.id != other.id
    spans = {(s.start, s.end, s.label_id) for s in ws.annotations.spans_for(doc, alice)}
    assert spans == {(0, 7, labels["framing"]), (10, 14, labels["leverage"])}
