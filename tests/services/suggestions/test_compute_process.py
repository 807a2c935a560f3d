"""Suggestions computed in a real child process on the same database (both backends)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.domain.errors import AnnotatorError
from annotator.services.suggestions.compute_process import ProcessComputer
from annotator.services.workspace import Workspace
from tests.services.suggestions.test_training_process import alive

FIRST = "Putin met Xi in Beijing. Gas talks in Beijing ended."
SECOND = "Beijing again, and beijing's pipeline; Moscow too."


@pytest.fixture
def two_docs(ws: Workspace, tmp_path: Path) -> tuple[int, int]:
    for name, content in (("first.txt", FIRST), ("second.txt", SECOND)):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        assert ws.importer.import_paths([path]).ok
    ids = {ws.documents.get(d.id).text: d.id for d in ws.documents.list_for(0)}
    return ids[FIRST], ids[SECOND]


def test_the_child_learns_the_annotators_phrases_and_stores_suggestions(ws: Workspace, two_docs) -> None:
    first, second = two_docs
    me = ws.annotators.sign_in("alice")
    labels = {x.name: x.id for x in ws.labels.list()}
    start = FIRST.index("Beijing")
    ws.annotations.add(first, me.id, labels["leverage"], start, start + 7)
    computer = ProcessComputer(ws.db.child_target)
    try:
        assert computer.compute(me.id, [second, first], list(labels)) == [second, first]
        pid = computer.pid
        assert pid is not None and pid != os.getpid() and alive(pid)
        found = ws.suggestions.visible(second, me.id, SECOND)
        assert [(SECOND[s.start : s.end], s.source) for s in found] == [
            ("Beijing", "phrase"),
            ("beijing", "phrase"),  # any case; "'s" is not part of the word
        ]
        assert {s.label_id for s in found} == {labels["leverage"]}
        # In the training document: the second "Beijing" only; where she has the span, nothing is stored.
        with ws.db.engine.connect() as conn:
            stored = conn.execute(
                text('SELECT start, "end" FROM suggestion WHERE document_id = :d'), {"d": first}
            ).all()
        again = FIRST.index("Beijing", start + 1)
        assert [tuple(r) for r in stored] == [(again, again + 7)]
    finally:
        computer.close()
    assert not alive(pid)


def test_a_killed_child_is_reported_and_started_again(ws: Workspace, two_docs) -> None:
    first, second = two_docs
    me = ws.annotators.sign_in("alice")
    labels = {x.name: x.id for x in ws.labels.list()}
    ws.annotations.add(first, me.id, labels["leverage"], 0, 5)  # "Putin"
    computer = ProcessComputer(ws.db.child_target)
    try:
        assert computer.compute(me.id, [second], list(labels)) == [second]
        old = computer.pid
        assert old is not None
        os.kill(old, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while computer.running() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert computer.compute(me.id, [first], list(labels)) == [first]  # a new child
        assert computer.pid not in (None, old)
    finally:
        computer.close()


def test_a_child_that_cannot_open_the_database_says_why(tmp_path: Path) -> None:
    garbage = tmp_path / "x.db"
    garbage.write_bytes(b"this is not a database" * 100)
    computer = ProcessComputer(str(garbage))
    with pytest.raises(AnnotatorError, match="could not start"):
        computer.compute(1, [1], ["leverage"])
    assert computer.pid is None


PARENT = """
import sys, time
from annotator.services.suggestions.compute_process import ProcessComputer

if __name__ == "__main__":
    computer = ProcessComputer(sys.argv[1])
    computer.compute(int(sys.argv[2]), [int(sys.argv[3])], ["leverage"])
    print(computer.pid, flush=True)
    time.sleep(600)
"""


def test_the_child_ends_when_its_parent_is_killed(ws: Workspace, two_docs, tmp_path: Path) -> None:
    """A desk killed with SIGKILL sends no "stop": the child notices its parent is gone and exits."""
    import subprocess
    import sys

    first, _ = two_docs
    me = ws.annotators.sign_in("alice")
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen(
        [sys.executable, str(script), ws.db.child_target, str(me.id), str(first)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert alive(child)
        parent.kill()
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10
        while alive(child):
            assert time.monotonic() < deadline, "the child outlived its killed parent"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()
