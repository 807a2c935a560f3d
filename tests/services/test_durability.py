"""Killing the program (SIGKILL, no clean-up) loses nothing it reported saved and leaves no half import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from annotator.services.workspace import Workspace

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

REPO = Path(__file__).resolve().parents[2]

ADD_LOOP = """
import sys
from annotator.services.workspace import Workspace

ws = Workspace.open(sys.argv[1])
alice = ws.annotators.sign_in("alice")
[doc] = ws.documents.list_for(alice.id)
labels = [label.id for label in ws.labels.list()]
n = 0
for start in range(doc.length - 1):
    for label in labels:
        ws.annotations.add(doc.id, alice.id, label, start, start + 1)
        n += 1
        print(f"saved {n}", flush=True)
"""

IMPORT_ONE = """
import sys
from annotator.services.workspace import Workspace

ws = Workspace.open(sys.argv[1])
def progress(done, total):
    print(f"progress {done}/{total}", flush=True)
result = ws.importer.import_paths([sys.argv[2]], progress=progress)
assert result.ok, result.files[0].error
print("done", flush=True)
"""


def child(script: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=script.parent,
    )


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the child unless it already ended; True if the kill is what ended it."""
    if proc.poll() is not None:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return proc.returncode == -signal.SIGKILL


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_kill_during_span_edits_loses_nothing_reported_saved(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    source = tmp_path / "doc.jsonl"
    source.write_bytes(orjson.dumps({"id": "d", "text": "x" * 500}) + b"\n")
    ws = Workspace.open(str(db))
    assert ws.importer.import_paths([source]).ok
    ws.close()

    script = tmp_path / "add_loop.py"
    script.write_text(ADD_LOOP, encoding="utf-8")
    proc = child(script, str(db))
    saved = 0
    try:
        assert proc.stdout is not None
        while saved < 200:
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"the child stopped early: {proc.stderr.read() if proc.stderr else ''}")
            assert line.startswith("saved ")
            saved = int(line.split()[1])
    finally:
        assert kill(proc)
    assert saved >= 200
    assert integrity(db) == "ok"
    assert count(db, "span") >= saved
    # The database opens normally afterwards and shows the spans through the services too.
    ws = Workspace.open(str(db))
    try:
        [summary] = ws.documents.list_for(ws.annotators.sign_in("alice").id)
        assert summary.span_count >= saved
        assert summary.status == "in_progress"
    finally:
        ws.close()


def big_jsonl(path: Path, documents: int, spans_each: int) -> None:
    labels = ["strategic messaging", "economic outcome", "leverage", "framing"]
    with path.open("wb") as fh:
        for d in range(documents):
            text = f"Document {d}: " + "word " * (spans_each + 5)
            spans = [
                {"start": i, "end": i + 3, "label": labels[i % 4], "annotator": f"a{i % 3}"}
                for i in range(spans_each)
            ]
            fh.write(orjson.dumps({"id": f"big-{d}", "text": text, "spans": spans, "status": {"a0": "done"}}))
            fh.write(b"\n")


# The import below takes about 0.5 s after its first progress line here: the row inserts run
# for most of it, then the commit. The delays land before, inside and after the commit.
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3, 1.5])
def test_kill_during_import_leaves_none_or_all(tmp_path: Path, delay: float) -> None:
    documents, spans_each = 1000, 40  # 40,000 spans
    db = tmp_path / "a.db"
    big = tmp_path / "big.jsonl"
    big_jsonl(big, documents, spans_each)
    ws = Workspace.open(str(db))  # a database with something in it already
    small = tmp_path / "small.jsonl"
    small.write_bytes(orjson.dumps({"id": "keep", "text": "Keep me.", "status": {"z": "done"}}) + b"\n")
    assert ws.importer.import_paths([small]).ok
    ws.close()

    script = tmp_path / "import_one.py"
    script.write_text(IMPORT_ONE, encoding="utf-8")
    proc = child(script, str(db), str(big))
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the first progress line: the transaction is open
        assert line.startswith("progress"), (line, proc.stderr.read() if proc.stderr else "")
        seen.append(line)
        time.sleep(delay)
    finally:
        killed = kill(proc)
    assert proc.stdout is not None
    seen += proc.stdout.readlines()
    finished = any(line.strip() == "done" for line in seen)

    assert integrity(db) == "ok"
    docs, spans, statuses = count(db, "document"), count(db, "span"), count(db, "document_status")
    if finished:
        assert (docs, spans, statuses) == (1 + documents, documents * spans_each, 1 + documents)
    else:
        assert (docs, spans, statuses) in {(1, 0, 1), (1 + documents, documents * spans_each, 1 + documents)}
    if delay == 0.0:
        assert killed and not finished  # this kill really landed inside the import
    # Whatever happened, importing the file again completes it exactly once.
    ws = Workspace.open(str(db))
    try:
        assert ws.importer.import_paths([big]).ok
    finally:
        ws.close()
    assert (count(db, "document"), count(db, "span")) == (1 + documents, documents * spans_each)
