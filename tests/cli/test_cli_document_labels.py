"""`annotator labels` for document labels and guideline history, and `annotator agreement` over
document labels, through the real command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from tests.cli.test_cli import run


@pytest.fixture
def db(database_factory: Callable[[str], str]) -> str:
    return database_factory("a.db")


def test_document_labels_and_guideline_history(db: str) -> None:
    added = run("--db", db, "labels", "add", "positive", "--document", "--set", "tone")
    assert added.returncode == 0, added.stderr
    assert "document label, set 'tone'" in added.stdout
    assert (
        run("--db", db, "labels", "add", "economy", "--document", "--set", "topic", "--multiple").returncode
        == 0
    )
    refused = run("--db", db, "labels", "add", "odd", "--set", "tone")
    assert refused.returncode == 2 and "--document" in refused.stderr
    rows = {
        r["name"]: r
        for r in map(orjson.loads, run("--db", db, "labels", "list", "--json").stdout.splitlines())
    }
    assert (rows["positive"]["kind"], rows["positive"]["set"], rows["positive"]["multiple"]) == (
        "document",
        "tone",
        False,
    )
    assert (rows["economy"]["kind"], rows["economy"]["multiple"]) == ("document", True)
    assert rows["framing"]["kind"] == "span"  # the label file format keeps its old keys, with new ones added
    assert (
        run("--db", db, "labels", "describe", "framing", "Word choice that steers reading.").returncode == 0
    )
    assert run("--db", db, "labels", "describe", "framing", "Word choice and narrative.").returncode == 0
    history = [
        orjson.loads(x) for x in run("--db", db, "labels", "history", "framing", "--json").stdout.splitlines()
    ]
    assert [h["description"] for h in history] == [
        "Word choice that steers reading.",
        "Word choice and narrative.",
    ]
    assert history[1]["version"] > history[0]["version"] and all(h["author"] for h in history)
    table = run("--db", db, "labels", "history")
    assert table.returncode == 0 and "Word choice and narrative." in table.stdout
    unknown = run("--db", db, "labels", "history", "nope")
    assert unknown.returncode != 0 and "no label named 'nope'" in unknown.stderr


def test_agreement_counts_document_labels(db: str, tmp_path: Path) -> None:
    assert run("--db", db, "labels", "add", "X", "--document").returncode == 0
    lines = []
    a_b = [("X", "X"), ("X", "X"), (None, None), ("X", None)]
    for n, (a, b) in enumerate(a_b):
        labels = [{"label": x, "annotator": who} for x, who in ((a, "alice"), (b, "bob")) if x]
        lines.append(
            {
                "id": f"d{n}",
                "text": f"Document number {n}.",
                "status": [{"annotator": "alice", "state": "done"}, {"annotator": "bob", "state": "done"}],
                "document_labels": labels,
            }
        )
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    assert run("--db", db, "import", str(path)).returncode == 0
    result = orjson.loads(run("--db", db, "agreement", "--json").stdout)
    assert "X" not in result["labels"]  # span figures are about span labels only
    doc = result["document_labels"]
    [pair] = doc["pairs"]
    # alice 1,1,0,1 and bob 1,1,0,0: p_o = 3/4, p_e = 3/4*1/2 + 1/4*1/2 = 1/2 -> kappa 1/2.
    assert pair["kappa"] == pytest.approx(0.5) and pair["documents"] == 4
    # alpha: n = 8 values, n_1 = 5, n_0 = 3, one disagreeing document: o_01 = 1 -> 1 - 7/15.
    assert doc["alpha"][0]["alpha"] == pytest.approx(1 - 7 * 1 / 15)
    table = run("--db", db, "agreement")
    assert "document label" in table.stdout and "0.500" in table.stdout
