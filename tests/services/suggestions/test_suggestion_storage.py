"""Suggestions stored apart from spans (both backends): replace, visibility, threshold, accept,
reject (remembered by phrase), accept all, training data; never exported, never in agreement."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.model import Rejection, Suggestion
from annotator.services.exporting import ExportFilter
from annotator.services.suggestions.training import gather_training
from annotator.services.workspace import Workspace

TEXT = "Putin met Xi in Beijing. Gas talks in Beijing ended; putin left."


@pytest.fixture
def doc(ws: Workspace, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert ws.importer.import_paths([path]).ok
    [summary] = ws.documents.list_for(0)
    return summary.id, TEXT


def at(phrase: str, label: str, score: float, nth: int = 0, source: str = "m") -> Suggestion:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return Suggestion(start, start + len(phrase), label, score, source, "v1")


def phrases(found) -> list[str]:
    return [TEXT[s.start : s.end] for s in found]


def test_store_replaces_per_source_and_audience(ws: Workspace, doc) -> None:
    doc_id, _ = doc
    alice = ws.annotators.sign_in("alice")
    sv = ws.suggestions
    assert sv.store(doc_id, "m", [at("Putin", "leverage", 0.9), at("Beijing", "framing", 0.4)]) == 2
    assert sv.store(doc_id, "other", [at("Gas", "economic outcome", 0.5)]) == 1
    assert sv.store(doc_id, "m", [at("Xi", "leverage", 0.7)]) == 1  # replaces m's two
    assert phrases(sv.visible(doc_id, alice.id, TEXT)) == ["Xi", "Gas"]
    assert phrases(sv.visible(doc_id, alice.id, TEXT, threshold=0.6)) == ["Xi"]
    # Stored apart: no span was made.
    assert ws.annotations.spans_for(doc_id, alice.id) == []


def test_suggestions_for_one_annotator_are_theirs_alone(ws: Workspace, doc) -> None:
    doc_id, _ = doc
    alice, bob = ws.annotators.sign_in("alice"), ws.annotators.sign_in("bob")
    ws.suggestions.store(doc_id, "phrase", [at("Putin", "leverage", 0.9)], for_annotator=alice.id)
    assert phrases(ws.suggestions.visible(doc_id, alice.id, TEXT)) == ["Putin"]
    assert ws.suggestions.visible(doc_id, bob.id, TEXT) == []


def test_suggestions_from_others_spans_are_hidden_until_a_supervisor_allows(ws: Workspace, doc) -> None:
    doc_id, _ = doc
    sam = ws.annotators.sign_in("sam")  # the first to sign in supervises
    bob = ws.annotators.sign_in("bob")
    ws.suggestions.store(doc_id, "phrase", [at("Beijing", "framing", 0.8)], from_others=True)
    assert ws.suggestions.visible(doc_id, bob.id, TEXT) == []
    with pytest.raises(AnnotatorError, match="only a supervisor"):
        ws.suggestions.set_policy(show_others=True, train_on_gold=False, role=bob.role)
    assert ws.suggestions.policy().show_others is False
    ws.suggestions.set_policy(show_others=True, train_on_gold=False, role=sam.role)
    assert phrases(ws.suggestions.visible(doc_id, bob.id, TEXT)) == ["Beijing"]


def test_accept_reject_relabel_and_accept_all(ws: Workspace, doc) -> None:
    doc_id, _ = doc
    alice = ws.annotators.sign_in("alice")
    sv = ws.suggestions
    sv.store(
        doc_id,
        "m",
        [
            at("Putin", "leverage", 0.9),
            at("putin", "leverage", 0.8),
            at("Beijing", "framing", 0.7),
            at("Beijing", "framing", 0.6, nth=1),
            at("Gas", "economic outcome", 0.2),
        ],
    )
    putin, *_ = sv.visible(doc_id, alice.id, TEXT)
    span = sv.accept(putin, alice.id)
    assert (TEXT[span.start : span.end], span.annotator_id) == ("Putin", alice.id)
    have = [(s.label_id, s.start, s.end) for s in ws.annotations.spans_for(doc_id, alice.id)]
    shown = sv.visible(doc_id, alice.id, TEXT, spans=have)
    assert sorted(phrases(shown)) == ["Beijing", "Beijing", "Gas", "putin"]
    # Rejecting "Beijing" as framing hides both occurrences (the phrase, not only the place).
    beijing = next(s for s in shown if TEXT[s.start : s.end] == "Beijing")
    sv.reject(beijing, alice.id, TEXT)
    shown = sv.visible(doc_id, alice.id, TEXT, spans=have)
    assert sorted(phrases(shown)) == ["Gas", "putin"]
    # Relabel-and-accept: "Gas" accepted as leverage.
    gas = next(s for s in shown if TEXT[s.start : s.end] == "Gas")
    labels = {x.name: x.id for x in ws.labels.list()}
    relabelled = sv.accept(gas, alice.id, labels["leverage"])
    assert relabelled.label_id == labels["leverage"]
    # Accept all above 0.5: only "putin" (0.8) is left above it.
    made = sv.accept_all(doc_id, alice.id, TEXT, 0.5)
    assert [TEXT[s.start : s.end] for s in made] == ["putin"]
    assert sv.accept_all(doc_id, alice.id, TEXT, 0.5) == []


def test_rejections_are_per_annotator_and_case_insensitive(ws: Workspace, doc) -> None:
    doc_id, _ = doc
    alice, bob = ws.annotators.sign_in("alice"), ws.annotators.sign_in("bob")
    ws.suggestions.store(doc_id, "m", [at("Putin", "leverage", 0.9), at("putin", "leverage", 0.9)])
    first = ws.suggestions.visible(doc_id, alice.id, TEXT)[0]
    ws.suggestions.reject(first, alice.id, TEXT)
    ws.suggestions.reject(first, alice.id, TEXT)  # twice: remembered once
    assert ws.suggestions.visible(doc_id, alice.id, TEXT) == []
    assert len(ws.suggestions.visible(doc_id, bob.id, TEXT)) == 2
    assert len(ws.suggestions.rejections(alice.id)) == 1


def test_training_data_is_own_spans_and_gold_only_when_allowed(ws: Workspace, doc) -> None:
    doc_id, _ = doc
    sam = ws.annotators.sign_in("sam")
    alice, bob = ws.annotators.sign_in("alice"), ws.annotators.sign_in("bob")
    labels = {x.name: x.id for x in ws.labels.list()}
    ws.annotations.add(doc_id, alice.id, labels["leverage"], 0, 5)
    ws.annotations.add(doc_id, bob.id, labels["framing"], 10, 12)
    gold = ws.review.gold()
    ws.annotations.add(doc_id, gold.id, labels["economic outcome"], 25, 28)
    ws.suggestions.store(doc_id, "m", [at("Beijing", "framing", 0.9)])
    ws.suggestions.reject(ws.suggestions.visible(doc_id, alice.id, TEXT)[0], alice.id, TEXT)
    data = gather_training(ws.db, alice.id)
    [training] = data.documents
    assert [(TEXT[s.start : s.end], s.label) for s in training.spans] == [("Putin", "leverage")]
    assert data.rejections == [Rejection("beijing", "framing")]
    ws.suggestions.set_policy(show_others=False, train_on_gold=True, role=sam.role)
    [training] = gather_training(ws.db, alice.id).documents
    assert [(TEXT[s.start : s.end], s.label) for s in training.spans] == [
        ("Putin", "leverage"),
        ("Gas", "economic outcome"),
    ]  # never bob's


def test_suggestions_are_never_exported_nor_counted_by_agreement(ws: Workspace, doc, tmp_path: Path) -> None:
    doc_id, _ = doc
    alice, bob = ws.annotators.sign_in("alice"), ws.annotators.sign_in("bob")
    labels = {x.name: x.id for x in ws.labels.list()}
    for who in (alice, bob):
        ws.annotations.add(doc_id, who.id, labels["leverage"], 0, 5)
        ws.documents.set_status(doc_id, who.id, "done")
    before_agreement = ws.review.agreement()
    exports_before = {fmt: export_all(ws, fmt, tmp_path / f"before-{fmt}") for fmt in FORMATS}
    ws.suggestions.store(doc_id, "m", [at("Beijing", "framing", 0.9), at("Gas", "leverage", 0.8)])
    ws.suggestions.store(doc_id, "mine", [at("Xi", "leverage", 0.9)], for_annotator=alice.id)
    ws.suggestions.reject(ws.suggestions.visible(doc_id, bob.id, TEXT)[0], bob.id, TEXT)
    with ws.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM suggestion")).scalar_one() == 3
    assert ws.review.agreement() == before_agreement
    for fmt in FORMATS:
        after = export_all(ws, fmt, tmp_path / f"after-{fmt}")
        assert after == exports_before[fmt], fmt
        assert 'Beijing", "label": "framing' not in after
        assert "framing" not in after.replace("labeling", "") or fmt == "labelstudio"


FORMATS = ("jsonl", "doccano", "prodigy", "conll", "labelstudio", "brat")


def export_all(ws: Workspace, fmt: str, target: Path) -> str:
    """The whole export as text (a brat folder: its files concatenated by name)."""
    if fmt == "brat":
        ws.exporter.export(fmt, ExportFilter(), path=target)
        return "".join(p.read_text("utf-8") for p in sorted(target.iterdir()))
    if fmt == "labelstudio":
        ws.exporter.export(fmt, ExportFilter(), path=target)
        data = orjson.loads(target.read_bytes())
        for task in data:
            task.pop("created_at", None)
            for a in task.get("annotations", []):
                for key in ("created_at", "updated_at", "id"):
                    a.pop(key, None)
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
    buffer = io.BytesIO()
    ws.exporter.export(fmt, ExportFilter(), stream=buffer)
    return buffer.getvalue().decode("utf-8")


class EchoRecommender:
    """Proposes every phrase it was trained on wherever it occurs."""

    name = "echo"
    version = "1"

    def __init__(self) -> None:
        self.phrases: dict[str, str] = {}

    def train(self, documents, rejections=(), progress=None, cancelled=None) -> None:
        self.phrases = {d.text[s.start : s.end]: s.label for d in documents for s in d.spans}

    def suggest(self, text: str, labels) -> list[Suggestion]:
        out = []
        for phrase, label in self.phrases.items():
            i = text.find(phrase)
            while i >= 0:
                out.append(Suggestion(i, i + len(phrase), label, 0.9, self.name, self.version))
                i = text.find(phrase, i + 1)
        return out


def test_bob_never_sees_suggestions_built_from_alices_spans_unless_allowed(ws: Workspace, doc) -> None:
    from annotator.services.suggestions.compute import SuggestionComputer

    doc_id, _ = doc
    sam = ws.annotators.sign_in("sam")
    alice, bob = ws.annotators.sign_in("alice"), ws.annotators.sign_in("bob")
    labels = {x.name: x.id for x in ws.labels.list()}
    first = TEXT.index("Beijing")
    ws.annotations.add(doc_id, alice.id, labels["leverage"], first, first + 7)  # Alice marks "Beijing"
    computer = SuggestionComputer(ws.db, ws.documents, ws.suggestions, EchoRecommender())
    names = list(labels)
    computer.compute(bob.id, [doc_id], names)
    assert ws.suggestions.visible(doc_id, bob.id, TEXT) == []  # blind: nothing from Alice
    computer.compute(alice.id, [doc_id], names)
    # Her own phrase where it occurs again; not where she has the span already (not even stored).
    mine = ws.suggestions.visible(doc_id, alice.id, TEXT)
    assert [(s.start, phrases([s])[0]) for s in mine] == [(TEXT.index("Beijing", first + 1), "Beijing")]
    ws.suggestions.set_policy(show_others=True, train_on_gold=False, role=sam.role)
    computer.compute(bob.id, [doc_id], names)
    assert phrases(ws.suggestions.visible(doc_id, bob.id, TEXT)) == ["Beijing", "Beijing"]
    # Turned off again: what was built from Alice's spans is hidden at once.
    ws.suggestions.set_policy(show_others=False, train_on_gold=False, role=sam.role)
    assert ws.suggestions.visible(doc_id, bob.id, TEXT) == []
