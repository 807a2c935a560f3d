"""`annotator suggest --backend URL` through the real command, against a real ML backend process,
on both backends: predictions stored as suggestions under the backend's name, refusals clear."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from annotator.services.workspace import Workspace
from tests.cli.test_cli import run
from tests.cli.test_cli_models import ml_backend  # noqa: F401 (the fixture)

TEXTS = {
    "d1": "New tariffs 😀 and more tariffs.",
    "d2": "A cold war of words.",
    "d3": "Nothing here.",
}


@pytest.fixture
def db(database_factory: Callable[[str], str], tmp_path: Path) -> str:
    url = database_factory("s.db")
    data = tmp_path / "docs.jsonl"
    data.write_bytes(b"".join(orjson.dumps({"id": k, "text": v}) + b"\n" for k, v in TEXTS.items()))
    assert run("--db", url, "import", str(data)).returncode == 0
    return url


def stored(url: str, annotator: str | None = None) -> dict[str, list[tuple[str, str, float, str]]]:
    """What each annotator sees: {document uid: [(phrase, label, score, source)]}."""
    ws = Workspace.open(url)
    try:
        who = ws.annotators.sign_in(annotator or "reader")
        out: dict[str, list[tuple[str, str, float, str]]] = {}
        names = {label.id: label.name for label in ws.labels.list()}
        for summary in ws.documents.list_for(who.id):
            doc = ws.documents.get(summary.id)
            seen = ws.suggestions.visible(doc.id, who.id, doc.text)
            out[doc.uid] = [(doc.text[s.start : s.end], names[s.label_id], s.score, s.source) for s in seen]
        return out
    finally:
        ws.close()


def test_suggest_stores_the_backends_predictions_for_everyone(db: str, ml_backend) -> None:  # noqa: F811
    url = ml_backend("tariffs=leverage", "cold war=framing")
    done = run("--db", db, "suggest", "--backend", url)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == "stored 3 suggestions from KeywordModel on 3 documents (1 without any) for everyone"
    )
    assert stored(db) == {
        "d1": [("tariffs", "leverage", 0.8, "KeywordModel"), ("tariffs", "leverage", 0.8, "KeywordModel")],
        "d2": [("cold war", "framing", 0.8, "KeywordModel")],
        "d3": [],
    }
    # Asked again, the same source's suggestions are replaced, not doubled; --source names them.
    again = run("--db", db, "suggest", "--backend", url, "--source", "kw")
    assert again.returncode == 0, again.stderr
    assert len(stored(db)["d1"]) == 2  # one per (label, start, end): the best source wins
    assert {s[3] for s in stored(db)["d2"]} <= {"kw", "KeywordModel"}


def test_suggest_for_one_annotators_unfinished_documents(db: str, ml_backend) -> None:  # noqa: F811
    ws = Workspace.open(db)
    try:
        ws.annotators.sign_in("sam")
        alice = ws.annotators.sign_in("alice")
        ws.annotators.sign_in("bob")
        d1 = next(d for d in ws.documents.list_for(alice.id) if d.uid == "d1")
        ws.documents.set_status(d1.id, alice.id, "done")
    finally:
        ws.close()
    url = ml_backend("tariffs=leverage", "cold war=framing")
    done = run("--db", db, "suggest", "--backend", url, "--documents", "unfinished", "--annotator", "alice")
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == "stored 1 suggestion from KeywordModel on 2 documents (1 without any) for alice"
    )
    assert stored(db, "alice")["d2"] == [("cold war", "framing", 0.8, "KeywordModel")]
    assert stored(db, "alice")["d1"] == []  # finished: not asked
    assert stored(db, "bob")["d2"] == []  # stored for alice alone


def test_suggest_refuses_clearly_and_stores_nothing(db: str, ml_backend) -> None:  # noqa: F811
    down = run("--db", db, "suggest", "--backend", ml_backend(mode="down"))
    assert down.returncode == 1
    assert "is not ready" in down.stderr
    unknown = run("--db", db, "suggest", "--backend", ml_backend("tariffs=tariff talk", mode="unknown-label"))
    assert unknown.returncode == 1
    assert "'tariff talk?' is not a label of this project" in unknown.stderr
    url = ml_backend("tariffs=leverage")
    nobody = run("--db", db, "suggest", "--backend", url, "--annotator", "nobody")
    assert nobody.returncode == 2 and "no annotator named 'nobody'" in nobody.stderr
    needs = run("--db", db, "suggest", "--backend", url, "--documents", "unfinished")
    assert needs.returncode == 2 and "--documents unfinished needs --annotator NAME" in needs.stderr
    bad = run("--db", db, "suggest", "--backend", "localhost:9")
    assert bad.returncode == 1 and "must start with http:// or https://" in bad.stderr
    closed = run("--db", db, "suggest", "--backend", "http://127.0.0.1:9", "--timeout", "2")
    assert closed.returncode == 1 and "cannot reach the ML backend at http://127.0.0.1:9" in closed.stderr
    assert "Traceback" not in down.stderr + unknown.stderr + closed.stderr
    assert stored(db) == {"d1": [], "d2": [], "d3": []}
