"""Our exports loaded by the tools ML people use: spaCy, Hugging Face datasets, seqeval, nervaluate and
label-studio-converter (the `consumers` extra: pip install -e '.[consumers]'). Each test is skipped,
with the reason, where its tool is not installed. Texts: emoji, astral letters, CRLF, combining marks,
CJK, right-to-left, a BOM, U+2028."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from annotator.domain.formats.conll import read_conll
from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace
from tests.domain.format_samples import SPAN_TEXTS, TEXTS

ASTRAL = "𝐀𝐁 letters then 😀 firetrucks 🇺🇦 at work"
NEEDS = "install the consumers extra: pip install -e '.[consumers]'"


def _task_lines(annotator: str, names: list[str], state: str) -> list[dict]:
    lines = []
    for name in names:
        text = TEXTS[name]
        spans = []
        for needle, label in SPAN_TEXTS[name]:
            start = text.index(needle)
            spans.append({"start": start, "end": start + len(needle), "label": label, "annotator": annotator})
        lines.append(
            {
                "id": f"doc-{name}",
                "title": name,
                "text": text,
                "meta": {"source": "samples", "lang": "xx"},
                "spans": spans,
                "status": [{"annotator": annotator, "state": state}],
            }
        )
    return lines


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """alice finished every sample document; bob half of them, with the same spans; one document
    alice finished without a span (a real negative example); one astral-text document."""
    ws = Workspace.open(str(tmp_path / "consumers.db"))
    names = sorted(TEXTS)
    lines = _task_lines("alice", names, "done") + _task_lines("bob", names[:4], "in_progress")
    start = ASTRAL.index("firetrucks")
    lines.append(
        {
            "id": "astral",
            "text": ASTRAL,
            "spans": [{"start": start, "end": start + 10, "label": "framing", "annotator": "alice"}],
            "status": {"alice": "done"},
        }
    )
    lines.append({"id": "negative", "text": "Nothing here.", "status": {"alice": "done"}})
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    result = ws.importer.import_paths([path])
    assert result.ok, result.files[0].error
    yield ws
    ws.close()


def export(ws: Workspace, fmt: str, path: Path, **flt) -> Path:
    ws.exporter.export(fmt, ExportFilter(**flt), path=path)
    return path


def test_spacy_convert_reads_one_doc_per_document(workspace: Workspace, tmp_path: Path) -> None:
    pytest.importorskip("spacy", reason=NEEDS)
    from spacy.training.converters import conll_ner_to_docs

    data = export(workspace, "conll", tmp_path / "alice.conll", annotators=["alice"]).read_text("utf-8")
    docs = list(conll_ner_to_docs(data, n_sents=10, no_print=True))
    expected = sum(1 for block in data.split("-DOCSTART- -X- O O") if block.strip())
    assert len(docs) == expected == len(TEXTS) + 2  # the astral and the negative documents too
    tags = [tag for sentence in read_conll(data) for _, tag in sentence]
    assert sum(len(doc.ents) for doc in docs) == sum(tag.startswith("B-") for tag in tags)
    assert all(not any(t.text.startswith("-DOCSTART-") for t in doc) for doc in docs)


def test_spacy_builds_docs_and_spans_from_prodigy_tasks(workspace: Workspace, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy", reason=NEEDS)
    from spacy.tokens import Doc

    nlp = spacy.blank("xx")
    path = export(workspace, "prodigy", tmp_path / "tasks.jsonl")
    tasks = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert {tuple(task) for task in tasks} == {tuple(tasks[0])}  # the same keys on every line
    negative = [t for t in tasks if t["meta"]["id"] == "negative"]
    assert [(t["_annotator_id"], t["spans"]) for t in negative] == [("alice", [])]
    checked = 0
    for task in tasks:
        words = [t["text"] for t in task["tokens"]]
        doc = Doc(nlp.vocab, words=words, spaces=[t["ws"] for t in task["tokens"]])
        assert doc.text == task["text"]
        for span in task["spans"]:
            got = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
            assert got is not None and got.start == span["token_start"] and got.end == span["token_end"] + 1
            checked += 1
    assert checked > 20


def test_datasets_loads_two_annotators_exports_as_one_table(workspace: Workspace, tmp_path: Path) -> None:
    pytest.importorskip("datasets", reason=NEEDS)
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    import datasets

    alice = export(workspace, "jsonl", tmp_path / "alice.jsonl", annotators=["alice"])
    bob = export(workspace, "jsonl", tmp_path / "bob.jsonl", annotators=["bob"])
    table = datasets.load_dataset(
        "json", data_files=[str(alice), str(bob)], split="train", cache_dir=str(tmp_path / "hf")
    )
    rows = len(alice.read_bytes().splitlines()) + len(bob.read_bytes().splitlines())
    assert table.num_rows == rows
    for row in table:
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"]
    assert {s["annotator"] for row in table for s in row["status"]} == {"alice", "bob"}


def _tag_sequences(data: str) -> list[list[str]]:
    return [[tag for _, tag in sentence] for sentence in read_conll(data)]


def test_seqeval_reads_valid_iob2(workspace: Workspace, tmp_path: Path) -> None:
    pytest.importorskip("seqeval", reason=NEEDS)
    from seqeval.metrics import f1_score
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2

    alice = _tag_sequences(
        export(workspace, "conll", tmp_path / "a.conll", annotators=["alice"]).read_text("utf-8")
    )
    assert f1_score(alice, alice, mode="strict", scheme=IOB2) == 1.0
    b_tags = sum(tag.startswith("B-") for seq in alice for tag in seq)
    assert len(get_entities(alice)) == b_tags > 20


def test_nervaluate_scores_an_export_against_itself(workspace: Workspace, tmp_path: Path) -> None:
    pytest.importorskip("nervaluate", reason=NEEDS)
    from nervaluate import Evaluator

    data = export(workspace, "conll", tmp_path / "a.conll", annotators=["alice"]).read_text("utf-8")
    true = _tag_sequences(data)
    labels = sorted({tag[2:] for seq in true for tag in seq if tag != "O"})
    pred = [list(seq) for seq in true]
    first = next(i for i, seq in enumerate(pred) if any(t.startswith("B-") for t in seq))
    pred[first] = ["O"] * len(pred[first])  # one sentence's entities missed
    missed = sum(t.startswith("B-") for t in true[first])
    strict = Evaluator(true, pred, tags=labels, loader="list").evaluate()["overall"]["strict"]
    assert strict.missed == missed and strict.spurious == 0 and strict.incorrect == 0
    # Its CoNLL loader wants TOKEN<TAB>TAG lines only: without the document markers it reads the file.
    plain = "\n".join(line for line in data.split("\n") if not line.startswith("-DOCSTART-"))
    same = Evaluator(plain, plain, tags=labels, loader="conll").evaluate()["overall"]["strict"]
    assert same.f1 == 1.0 and same.correct == sum(t.startswith("B-") for seq in true for t in seq)


def test_label_studio_converter_reads_our_tasks_and_config(workspace: Workspace, tmp_path: Path) -> None:
    pytest.importorskip("label_studio_converter", reason=NEEDS)
    from label_studio_converter import Converter

    tasks = export(workspace, "labelstudio", tmp_path / "tasks.json", annotators=["alice"])
    converter = Converter(
        config=(tmp_path / "tasks.config.xml").read_text("utf-8"), project_dir=str(tmp_path)
    )
    converter.convert_to_conll2003(str(tasks), str(tmp_path / "conll"), is_dir=False)
    conll = (tmp_path / "conll" / "result.conll").read_text("utf-8")
    assert "B-framing" in conll and "firetrucks -X- _ B-framing" in conll
    converter.convert_to_json_min(str(tasks), str(tmp_path / "min"), is_dir=False)
    # Its JSON-MIN comes back into a new database with the same span texts.
    fresh = Workspace.open(str(tmp_path / "fresh.db"))
    try:
        result = fresh.importer.import_paths([tmp_path / "min" / "result.json"], annotator="alice")
        assert result.ok, result.files[0].error
        assert result.files[0].format == "labelstudio"
        original = orjson.loads(tasks.read_bytes())
        expected = sorted(r["value"]["text"] for t in original for a in t["annotations"] for r in a["result"])
        back = fresh.exporter.records(ExportFilter())
        got = sorted(r.text[s.start : s.end] for r in back for s in r.spans)
        assert got == expected and len(got) > 20
    finally:
        fresh.close()
