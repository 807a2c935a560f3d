"""Document labels, comments and guideline versions through the services, and through every
export format that carries them and back (both backends)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace
from tests.services.conftest import import_ok, read_jsonl, write_jsonl

TEXT = "Putin met Xi in Beijing. Talks ended without a deal."


def setup(ws: Workspace, tmp_path: Path) -> tuple[int, int, dict[str, int]]:
    """One document, annotator alice, a single-choice set 'tone' (positive, negative) and a
    multi-choice set 'topic' (economy, security)."""
    import_ok(ws, write_jsonl(tmp_path / "doc.jsonl", [{"id": "d1", "text": TEXT}]))
    alice = ws.annotators.sign_in("alice")
    ids = {}
    for name, label_set, multiple in (
        ("positive", "tone", False),
        ("negative", "tone", False),
        ("economy", "topic", True),
        ("security", "topic", True),
    ):
        ids[name] = ws.labels.create(name, kind="document", label_set=label_set, multiple=multiple).id
    [doc] = ws.documents.list_for(alice.id)
    return doc.id, alice.id, ids


def test_single_choice_sets_keep_one_label_and_multi_choice_sets_keep_all(
    ws: Workspace, tmp_path: Path
) -> None:
    doc, alice, ids = setup(ws, tmp_path)
    data = ws.document_data
    data.set_labels(doc, alice, data.toggled(doc, alice, ids["positive"]))
    data.set_labels(doc, alice, data.toggled(doc, alice, ids["negative"]))  # replaces positive
    data.set_labels(doc, alice, data.toggled(doc, alice, ids["economy"]))
    data.set_labels(doc, alice, data.toggled(doc, alice, ids["security"]))  # joins economy
    assert data.labels_of(doc, alice) == {ids["negative"], ids["economy"], ids["security"]}
    data.set_labels(doc, alice, data.toggled(doc, alice, ids["economy"]))  # off again
    assert data.labels_of(doc, alice) == {ids["negative"], ids["security"]}
    assert ws.documents.status_of(doc, alice) == "in_progress"  # a document label starts the document
    span_label = ws.labels.list()[0]
    with pytest.raises(Exception, match="not a document label"):
        data.set_labels(doc, alice, frozenset({span_label.id}))
    assert data.labels_of(doc, alice) == {ids["negative"], ids["security"]}


def test_document_labels_take_no_single_key_hotkey_and_keep_their_set_mode(
    ws: Workspace, tmp_path: Path
) -> None:
    _, _, ids = setup(ws, tmp_path)
    label = ws.labels.update(ids["positive"], hotkey="q")
    assert label.hotkey is None and label.is_document_label
    # The choice mode belongs to the set: changing it on one label changes it on all.
    ws.labels.update(ids["positive"], multiple=True)
    modes = {x.name: x.multiple for x in ws.labels.list() if x.is_document_label}
    assert modes == {"positive": True, "negative": True, "economy": True, "security": True}
    # A span label may still take the key a document label could not.
    assert ws.labels.create("quote", hotkey="q").hotkey == "q"


def test_comments_are_one_per_document_and_annotator(ws: Workspace, tmp_path: Path) -> None:
    doc, alice, _ = setup(ws, tmp_path)
    bob = ws.annotators.sign_in("bob").id
    data = ws.document_data
    assert data.comment(doc, alice) is None
    data.set_comment(doc, alice, "  Is the headline part of the text?  ")
    data.set_comment(doc, bob, "Second paragraph: unclear.")
    data.set_comment(doc, alice, "Is the headline part of the text? (again)")
    assert data.comment(doc, alice) == "Is the headline part of the text? (again)"
    assert data.commented_documents(alice) == {doc}
    assert data.all_comments(doc) == {
        "alice": "Is the headline part of the text? (again)",
        "bob": "Second paragraph: unclear.",
    }
    data.set_comment(doc, alice, "   ")  # empty: deleted
    assert data.comment(doc, alice) is None and data.commented_documents(alice) == frozenset()


def test_guideline_versions_are_kept_and_done_records_the_version_in_force(
    ws: Workspace, tmp_path: Path
) -> None:
    doc, alice, _ids = setup(ws, tmp_path)
    before = ws.guidelines.current_version()
    framing = ws.labels.by_name("framing")
    ws.labels.update(framing.id, description="Word choice that steers reading.", author="sam")
    ws.labels.update(framing.id, description="Word choice that steers reading.", author="sam")  # unchanged
    assert ws.guidelines.current_version() == before + 1
    ws.documents.set_status(doc, alice, "done")
    ws.labels.update(framing.id, description="Word choice **and** narrative.", author="ann")
    history = ws.guidelines.history("framing")
    assert [(v.author, v.description) for v in history[-2:]] == [
        ("sam", "Word choice that steers reading."),
        ("ann", "Word choice **and** narrative."),
    ]
    assert history[-1].version == before + 2
    [line] = read_jsonl(export(ws, "jsonl"))
    assert line["status"] == [{"annotator": "alice", "state": "done", "guidelines_version": before + 1}]
    ws.documents.set_status(doc, alice, "in_progress")
    [line] = read_jsonl(export(ws, "jsonl"))
    assert line["status"][0]["guidelines_version"] is None
    ws.documents.set_status(doc, alice, "done")
    [line] = read_jsonl(export(ws, "jsonl"))
    assert line["status"][0]["guidelines_version"] == before + 2


def export(ws: Workspace, fmt: str, flt: ExportFilter | None = None, path: Path | None = None) -> bytes:
    import io

    if path is not None:
        ws.exporter.export(fmt, flt or ExportFilter(), path=path)
        return path.read_bytes()
    out = io.BytesIO()
    ws.exporter.export(fmt, flt or ExportFilter(), stream=out)
    return out.getvalue()


def labelled(ws: Workspace, tmp_path: Path) -> tuple[int, int, dict[str, int]]:
    doc, alice, ids = setup(ws, tmp_path)
    ws.document_data.set_labels(doc, alice, frozenset({ids["negative"], ids["economy"], ids["security"]}))
    ws.document_data.set_comment(doc, alice, "Headline?")
    return doc, alice, ids


def test_export_shapes(ws: Workspace, tmp_path: Path) -> None:
    labelled(ws, tmp_path)
    [native] = read_jsonl(export(ws, "jsonl"))
    assert native["document_labels"] == [
        {"label": "economy", "annotator": "alice"},
        {"label": "negative", "annotator": "alice"},
        {"label": "security", "annotator": "alice"},
    ]
    assert native["comments"] == [{"annotator": "alice", "text": "Headline?"}]
    [doccano] = read_jsonl(export(ws, "doccano", ExportFilter(annotators=["alice"])))
    assert doccano["cats"] == ["economy", "negative", "security"]
    [prodigy] = read_jsonl(export(ws, "prodigy"))
    assert prodigy["_annotator_id"] == "alice" and prodigy["accept"] == ["economy", "negative", "security"]
    [task] = orjson.loads(export(ws, "labelstudio", path=tmp_path / "ls.json"))
    results = task["annotations"][0]["result"]
    assert [(r["from_name"], r["to_name"], r["type"], r["value"]) for r in results] == [
        ("doc_tone", "text", "choices", {"choices": ["negative"]}),
        ("doc_topic", "text", "choices", {"choices": ["economy", "security"]}),
    ]
    config = (tmp_path / "ls.config.xml").read_text()
    assert '<Choices name="doc_tone" toName="text" choice="single"' in config
    assert '<Choices name="doc_topic" toName="text" choice="multiple"' in config
    assert '<Choice value="economy"/>' in config
    assert '<Label value="economy"' not in config  # document labels are not span labels


@pytest.mark.parametrize(
    ("fmt", "suffix", "annotator"),
    [
        ("jsonl", "jsonl", None),
        ("doccano", "jsonl", "alice"),
        ("prodigy", "jsonl", None),
        ("labelstudio", "json", None),
    ],
)
def test_round_trip(
    make_workspace: Callable[[str], Workspace], tmp_path: Path, fmt: str, suffix: str, annotator: str | None
) -> None:
    source = make_workspace("source.db")
    labelled(source, tmp_path)
    out = tmp_path / f"out.{suffix}"
    export(source, fmt, ExportFilter(annotators=["alice"]), path=out)
    target = make_workspace("target.db")
    for name, label_set, multiple in (
        ("negative", "tone", False),
        ("economy", "topic", True),
        ("security", "topic", True),
    ):
        target.labels.create(name, kind="document", label_set=label_set, multiple=multiple)
    result = target.importer.import_paths(
        [out], fmt="doccano" if fmt == "doccano" else "auto", annotator=annotator
    )
    assert result.ok, result.files[0].error
    target.importer.import_paths(
        [out], fmt="doccano" if fmt == "doccano" else "auto", annotator=annotator
    )  # twice: nothing doubled
    alice = target.annotators.find("alice")
    assert alice is not None
    [doc] = target.documents.list_for(alice.id)
    names = {x.id: x.name for x in target.labels.list()}
    assert sorted(names[i] for i in target.document_data.labels_of(doc.id, alice.id)) == [
        "economy",
        "negative",
        "security",
    ]
    if fmt == "jsonl":
        assert target.document_data.all_comments(doc.id) == {"alice": "Headline?"}


def test_an_unknown_document_label_is_refused_naming_the_field(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [{"id": "x", "text": "abc", "document_labels": [{"label": "nope", "annotator": "alice"}]}],
    )
    result = ws.importer.import_paths([path])
    assert not result.ok
    assert "line 1, field 'document_labels[0].label'" in result.files[0].error
    assert "unknown document label 'nope'" in result.files[0].error
    assert ws.documents.count() == 0  # all or nothing
    path = write_jsonl(
        tmp_path / "span.jsonl",
        [{"id": "x", "text": "abc", "document_labels": [{"label": "framing", "annotator": "alice"}]}],
    )
    result = ws.importer.import_paths([path])
    assert "'framing' is a span label, not a document label" in result.files[0].error


def test_comments_are_read_as_a_list_or_an_object_keyed_by_annotator(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {"id": "a", "text": "One.", "comments": [{"annotator": "alice", "text": "Why?"}]},
            {"id": "b", "text": "Two.", "comments": {"bob": "How?"}},
        ],
    )
    import_ok(ws, path)
    by_uid = {d.uid: d.id for d in ws.documents.list_for(0)}
    assert ws.document_data.all_comments(by_uid["a"]) == {"alice": "Why?"}
    assert ws.document_data.all_comments(by_uid["b"]) == {"bob": "How?"}
    bad = write_jsonl(
        tmp_path / "bad.jsonl", [{"id": "c", "text": "Three.", "comments": [{"annotator": "x"}]}]
    )
    result = ws.importer.import_paths([bad])
    assert "line 1, field 'comments[0].text': missing" in result.files[0].error


def test_a_document_label_made_a_span_label_can_still_be_taken_away(ws: Workspace, tmp_path: Path) -> None:
    doc, alice, ids = setup(ws, tmp_path)
    data = ws.document_data
    data.set_labels(doc, alice, frozenset({ids["economy"], ids["positive"]}))
    ws.labels.update(ids["economy"], kind="span")
    data.set_labels(doc, alice, data.toggled(doc, alice, ids["economy"]))
    assert data.labels_of(doc, alice) == {ids["positive"]}
    with pytest.raises(Exception, match="not a document label"):
        data.set_labels(doc, alice, frozenset({ids["positive"], ids["economy"]}))
