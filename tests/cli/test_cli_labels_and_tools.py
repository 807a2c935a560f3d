"""`annotator labels`, and the import/export options for other tools' files, through the real command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from tests.cli.test_cli import run


@pytest.fixture
def db(database_factory: Callable[[str], str]) -> str:
    return database_factory("a.db")


def test_labels_list_add_rename_archive_restore(db: str) -> None:
    listed = run("--db", db, "labels")
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
        "strategic messaging",
        "economic outcome",
        "leverage",
        "framing",
    ]
    added = run("--db", db, "labels", "add", "person", "--color", "#112233", "--hotkey", "p")
    assert added.returncode == 0, added.stderr
    assert run("--db", db, "labels", "rename", "person", "Person name").returncode == 0
    assert run("--db", db, "labels", "archive", "leverage").returncode == 0
    rows = [
        orjson.loads(line)
        for line in run("--db", db, "labels", "list", "--all", "--json").stdout.splitlines()
    ]
    by_name = {r["name"]: r for r in rows}
    assert by_name["Person name"]["color"] == "#112233" and by_name["Person name"]["hotkey"] == "p"
    assert by_name["leverage"]["archived"] is True
    assert "leverage" not in run("--db", db, "labels", "list").stdout
    assert run("--db", db, "labels", "restore", "leverage").returncode == 0
    assert "leverage" in run("--db", db, "labels", "list").stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("add", "framing"), "already exists"),
        (("add", "x", "--color", "red"), "not a colour"),
        (("add", "x", "--hotkey", "1"), "hotkey 1 is already used"),
        (("rename", "nope", "x"), "no label named 'nope'"),
    ],
)
def test_label_mistakes_are_clear_errors(db: str, args: tuple[str, ...], needle: str) -> None:
    if args[-1] == "1":
        run("--db", db, "labels", "add", "first", "--hotkey", "1")
    result = run("--db", db, "labels", *args)
    assert result.returncode == 1 and needle in result.stderr and "Traceback" not in result.stderr


def test_import_create_labels_and_offsets_and_labelstudio_export(db: str, tmp_path: Path) -> None:
    text = "Go 😀 firetrucks"
    path = tmp_path / "d.jsonl"
    path.write_bytes(orjson.dumps({"id": "f", "text": text, "label": [[6, 16, "vehicle"]]}) + b"\n")
    refused = run("--db", db, "import", str(path), "--annotator", "alice")
    assert refused.returncode == 1 and "--create-labels" in refused.stderr
    as_cp = run(
        "--db", db, "import", str(path), "--annotator", "alice", "--offsets", "codepoints", "--create-labels"
    )
    assert as_cp.returncode == 1 and "past the end" in as_cp.stderr and "--offsets utf16" in as_cp.stderr
    ok = run("--db", db, "import", str(path), "--annotator", "alice", "--create-labels")
    assert ok.returncode == 0, ok.stderr
    out = tmp_path / "ls.json"
    exported = run("--db", db, "export", "--format", "labelstudio", "-o", str(out), "--annotator", "alice")
    assert exported.returncode == 0, exported.stderr
    [task] = orjson.loads(out.read_bytes())
    value = task["annotations"][0]["result"][0]["value"]
    assert (value["start"], value["end"], value["text"]) == (5, 15, "firetrucks")
    assert 'value="vehicle"' in (tmp_path / "ls.config.xml").read_text("utf-8")
    doccano16 = run("--db", db, "export", "--format", "doccano", "--annotator", "alice")
    assert orjson.loads(doccano16.stdout)["label"] == [[6, 16, "vehicle"]]
    doccano_cp = run("--db", db, "export", "--format", "doccano", "--offsets", "codepoints")
    assert orjson.loads(doccano_cp.stdout)["label"] == [[5, 15, "vehicle"]]
    wrong = run("--db", db, "export", "--format", "conll", "--offsets", "utf16")
    assert wrong.returncode == 1 and "--offsets applies to doccano and labelstudio" in wrong.stderr
