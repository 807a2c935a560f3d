"""`annotator assign` and `annotator progress` through the real command, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from annotator.services.workspace import Workspace
from tests.cli.test_cli import run


@pytest.fixture
def db(database_factory: Callable[[str], str], tmp_path: Path) -> str:
    url = database_factory("a.db")
    ws = Workspace.open(url)
    for i in range(10):
        (tmp_path / f"doc{i}.txt").write_text(f"Document {i}. " + "Talks ended. " * (i + 1))
    assert ws.importer.import_paths(sorted(tmp_path.glob("doc*.txt"))).ok
    for name in ("sam", "alice", "bob"):
        ws.annotators.sign_in(name)  # the first to sign in supervises
    ws.close()
    return url


def assignments(url: str) -> int:
    ws = Workspace.open(url)
    try:
        return len(ws.assignments.all_rows())
    finally:
        ws.close()


def test_dry_run_prints_the_plan_and_stores_nothing(db: str) -> None:
    args = ("--db", db, "assign", "--rule", "sample", "--sample-percent", "20", "--seed", "3", "--as", "sam")
    dry = run(*args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert lines[0].startswith("rule n=1 sample=20% seed=3: would assign 12 assignments of 10 documents")
    assert "(2 in the agreement sample" in lines[0]
    assert lines[1].split() == ["annotator", "documents", "total", "length", "sample", "docs"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:4]}
    assert set(rows) == {"alice", "bob"} and all(r[2] == "2" for r in rows.values())
    assert lines[-1] == "(dry run: nothing was stored)"
    assert assignments(db) == 0
    stored = run(*args)
    assert stored.returncode == 0 and "assigned 12 assignments" in stored.stdout
    assert assignments(db) == 12
    assert run(*args, "--dry-run").stdout.splitlines()[2:4] == lines[2:4]  # same seed, same plan
    cleared = run("--db", db, "assign", "--clear", "--as", "sam")
    assert cleared.stdout.strip() == "dropped 12 assignments; kept 0 on documents someone already worked on"
    assert assignments(db) == 0


def test_only_a_supervisor_assigns_and_bad_arguments_are_named(db: str) -> None:
    refused = run("--db", db, "assign", "--rule", "n", "--as", "alice")
    assert refused.returncode == 1
    assert "permission denied: only a supervisor assigns documents" in refused.stderr
    for args, message in (
        (("--rule", "n", "--n", "3"), "--n must be between 1 and the number of annotators (2), not 3"),
        (("--rule", "sample"), "--rule sample needs --sample-percent K"),
        (
            ("--rule", "hand", "--documents", "nope", "--annotators", "alice"),
            "no document with the id 'nope'",
        ),
        (("--rule", "n", "--annotators", "zed"), "no annotator named 'zed'"),
        ((), "say how to assign"),
    ):
        result = run("--db", db, "assign", *args, "--as", "sam")
        assert result.returncode == 1 and message in result.stderr, (args, result.stderr)
    assert assignments(db) == 0


def test_progress_prints_the_team_views_numbers(db: str) -> None:
    assert run("--db", db, "assign", "--rule", "n", "--n", "2", "--as", "sam").returncode == 0
    ws = Workspace.open(db)
    try:
        alice = ws.annotators.find("alice")
        first = ws.assignments.queue(alice.id)[0]
        ws.annotations.add(first, alice.id, ws.labels.list()[2].id, 0, 8)
        ws.documents.set_status(first, alice.id, "done")
    finally:
        ws.close()
    result = run("--db", db, "progress", "--json")
    assert result.returncode == 0, result.stderr
    data = orjson.loads(result.stdout)
    people = {p["name"]: p for p in data["annotators"]}
    assert set(people) == {"alice", "bob"}
    assert (people["alice"]["assigned"], people["alice"]["done"], people["alice"]["spans"]) == (10, 1, 1)
    assert people["alice"]["labels"]["leverage"] == 1 and people["bob"]["labels"]["leverage"] == 0
    assert sum(people["alice"]["spans_per_hour"].values()) == 1
    assert data["agreement_sample"]["sample_documents"] == 0
    table = run("--db", db, "progress")
    assert table.returncode == 0
    assert table.stdout.splitlines()[1].split() == ["alice", "10", "9", "0", "1", "1"]
