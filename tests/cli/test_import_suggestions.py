"""`annotator import --as-suggestions --source NAME FILE`: model output in each shape, with scores,
offsets exact on emoji, CJK, right-to-left and CRLF text; bad input refused, nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text as sql

from annotator.services.workspace import Workspace
from tests.cli.test_cli import run

TEXT = "Visit 😀 in 北京 today.\r\nשלום and 𝐀𝐁𝐂 deal.\r\nEnd."
TARGETS = [
    ("😀", "framing", 0.91),
    ("北京", "leverage", 0.62),
    ("שלום", "framing", 0.33),
    ("𝐀𝐁𝐂", "economic outcome", 0.5),
]


def where(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def utf16(offset: int) -> int:
    return len(TEXT[:offset].encode("utf-16-le")) // 2


@pytest.fixture
def db(database_factory: Callable[[str], str], tmp_path: Path) -> str:
    url = database_factory("s.db")
    doc = tmp_path / "doc.jsonl"
    doc.write_bytes(orjson.dumps({"id": "doc-1", "text": TEXT}) + b"\n")
    result = run("--db", url, "import", str(doc))
    assert result.returncode == 0, result.stderr
    return url


def native_file(path: Path) -> Path:
    spans = [{"start": where(p)[0], "end": where(p)[1], "label": lab, "score": sc} for p, lab, sc in TARGETS]
    path.write_bytes(orjson.dumps({"id": "doc-1", "text": TEXT, "spans": spans}) + b"\n")
    return path


def doccano_file(path: Path) -> Path:  # doccano counts UTF-16 code units
    label = [[utf16(where(p)[0]), utf16(where(p)[1]), lab, sc] for p, lab, sc in TARGETS]
    path.write_bytes(orjson.dumps({"id": "doc-1", "text": TEXT, "label": label}) + b"\n")
    return path


def prodigy_file(path: Path) -> Path:
    spans = [{"start": where(p)[0], "end": where(p)[1], "label": lab, "score": sc} for p, lab, sc in TARGETS]
    task = {"text": TEXT, "meta": {"id": "doc-1"}, "spans": spans, "_annotator_id": "model"}
    path.write_bytes(orjson.dumps(task) + b"\n")
    return path


def labelstudio_file(path: Path) -> Path:
    results = [
        {
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": where(p)[0], "end": where(p)[1], "text": p, "labels": [lab]},
            "score": sc,
        }
        for p, lab, sc in TARGETS
    ]
    # The last result carries no score of its own: the prediction's overall score applies.
    results[-1].pop("score")
    tasks = [
        {
            "id": 7,
            "data": {"text": TEXT, "id": "doc-1"},
            "predictions": [{"model_version": "x", "score": 0.5, "result": results}],
        }
    ]
    path.write_bytes(orjson.dumps(tasks))
    return path


SHAPES = {
    "jsonl": native_file,
    "doccano": doccano_file,
    "prodigy": prodigy_file,
    "labelstudio": labelstudio_file,
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_loads_as_scored_suggestions(db: str, tmp_path: Path, shape: str) -> None:
    path = SHAPES[shape](tmp_path / ("model.json" if shape == "labelstudio" else "model.jsonl"))
    result = run(
        "--db", db, "import", "--as-suggestions", "--source", "ner", "--source-version", "3", str(path)
    )
    assert result.returncode == 0, result.stderr
    assert f"({shape}): 4 suggestions stored for 1 documents" in result.stdout
    ws = Workspace.open(db)
    try:
        alice = ws.annotators.sign_in("alice")
        [doc] = ws.documents.list_for(alice.id)
        labels = {x.id: x.name for x in ws.labels.list()}
        got = sorted(
            (TEXT[s.start : s.end], labels[s.label_id], s.score, s.source, s.version)
            for s in ws.suggestions.visible(doc.id, alice.id, TEXT)
        )
        assert got == sorted((p, lab, sc, "ner", "3") for p, lab, sc in TARGETS)
        # Suggestions, not annotations: no span, no status.
        with ws.db.engine.connect() as conn:
            assert conn.execute(sql("SELECT count(*) FROM span")).scalar_one() == 0
            assert conn.execute(sql("SELECT count(*) FROM document_status")).scalar_one() == 0
    finally:
        ws.close()
    # Imported again: the source's suggestions are replaced, not doubled.
    again = run("--db", db, "import", "--as-suggestions", "--source", "ner", str(path))
    assert again.returncode == 0 and "4 suggestions" in again.stdout


def count_suggestions(db: str) -> int:
    ws = Workspace.open(db)
    try:
        with ws.db.engine.connect() as conn:
            return int(conn.execute(sql("SELECT count(*) FROM suggestion")).scalar_one())
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("record", "needle"),
    [
        (
            {"spans": [{"start": 0, "end": 5, "label": "framing", "score": 1.5}]},
            "line 2, field 'spans[0].score': must be a number from 0 to 1",
        ),
        ({"spans": [{"start": 0, "end": 5, "label": "framing", "score": "high"}]}, "field 'spans[0].score'"),
        ({"spans": [{"start": 0, "end": 500, "label": "framing"}]}, "line 2, field 'spans[0]"),
        (
            {"spans": [{"start": 0, "end": 5, "label": "no such label"}]},
            "line 2, field 'label': the label 'no such label' is not in this database",
        ),
        (
            {"id": "doc-1", "text": "another text", "spans": []},
            "line 2, field 'text': document 'doc-1' is stored with a different text",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(db: str, tmp_path: Path, record: dict, needle: str) -> None:
    good = {"id": "doc-1", "text": TEXT, "spans": [{"start": 6, "end": 7, "label": "framing", "score": 0.4}]}
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        orjson.dumps(good) + b"\n" + orjson.dumps({"id": "doc-1", "text": TEXT, **record}) + b"\n"
    )
    result = run("--db", db, "import", "--as-suggestions", "--source", "ner", str(path))
    assert result.returncode == 1
    assert str(path) in result.stderr and needle in result.stderr, result.stderr
    assert count_suggestions(db) == 0


def test_unknown_documents_are_skipped_and_said(db: str, tmp_path: Path) -> None:
    path = tmp_path / "model.jsonl"
    lines = [
        {"id": "doc-1", "text": TEXT, "spans": [{"start": 6, "end": 7, "label": "framing", "score": 0.4}]},
        {
            "id": "elsewhere",
            "text": "A document this database does not have.",
            "spans": [{"start": 0, "end": 1, "label": "framing"}],
        },
    ]
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    result = run("--db", db, "import", "--as-suggestions", "--source", "ner", str(path))
    assert result.returncode == 0, result.stderr
    assert (
        "1 suggestions stored for 1 documents; 1 records name documents not in this database" in result.stdout
    )
    assert "(elsewhere): import those documents first" in result.stdout
    assert count_suggestions(db) == 1
    ws = Workspace.open(db)
    try:
        assert ws.documents.count() == 1  # no document was created
    finally:
        ws.close()


def test_a_source_is_required(db: str, tmp_path: Path) -> None:
    result = run("--db", db, "import", "--as-suggestions", str(native_file(tmp_path / "m.jsonl")))
    assert result.returncode == 2 and "--source NAME" in result.stderr
