"""The database file deleted (its whole data folder) or replaced while a workspace has it open, or
while an import runs: SQLite would write on into the vanished file and report success, so the work
would be reported saved and be gone. Instead the change is refused with a message saying why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
LOST = r"was deleted or moved while it was open; this change was not saved"


def open_with_a_span(path: Path) -> tuple[Workspace, int, int, int]:
    ws = Workspace.open(str(path))
    ws.ensure_sample()
    me = ws.annotators.sign_in("alice")
    doc = ws.documents.list_for(me.id)[0].id
    label = ws.labels.list()[0].id
    ws.annotations.add(doc, me.id, label, 0, 5)
    return ws, doc, me.id, label


def test_deleting_the_data_folder_under_an_open_workspace_refuses_the_next_edit(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    ws, doc, me, label = open_with_a_span(folder / "annotator.db")
    try:
        shutil.rmtree(folder)
        with pytest.raises(AnnotatorError, match=LOST) as refused:
            ws.annotations.add(doc, me, label, 10, 15)
        assert str(folder / "annotator.db") in str(refused.value)
        with pytest.raises(
            AnnotatorError, match="was deleted or moved while it was open; nothing more can be"
        ):
            ws.annotations.spans_for(doc, me)  # reading does not pose as the old data either
    finally:
        ws.close()
    assert not folder.exists()  # nothing re-created an empty database at the path


def test_replacing_the_file_under_an_open_workspace_refuses_the_next_edit(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ws, doc, me, label = open_with_a_span(path)
    try:
        ws.backup(tmp_path / "other.db")
        os.replace(tmp_path / "other.db", path)  # e.g. a sync tool or a restore puts another file there
        with pytest.raises(AnnotatorError, match="was replaced by another file while it was open"):
            ws.annotations.add(doc, me, label, 10, 15)
    finally:
        ws.close()
    replacement = Workspace.open(str(path))
    try:
        alice = replacement.annotators.find("alice")
        assert [(s.start, s.end) for s in replacement.annotations.spans_for(doc, alice.id)] == [(0, 5)]
    finally:
        replacement.close()


def big_jsonl(path: Path, documents: int = 300) -> Path:
    with path.open("wb") as fh:
        for d in range(documents):
            spans = [
                {"start": i, "end": i + 3, "label": "framing", "annotator": "bob"} for i in range(0, 200, 5)
            ]
            fh.write(orjson.dumps({"id": f"d{d}", "text": "word " * 60, "spans": spans}) + b"\n")
    return path


def test_deleting_the_data_folder_during_an_import_fails_the_import(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    ws = Workspace.open(str(folder / "annotator.db"))
    source = big_jsonl(tmp_path / "big.jsonl")
    deleted: list[int] = []

    def progress(done: int, total: int) -> None:
        if not deleted and done > 0:
            shutil.rmtree(folder)  # half-way through, inside the import's transaction
            deleted.append(done)

    try:
        result = ws.importer.import_paths([source], progress=progress)
    finally:
        ws.close()
    assert deleted, "the import never reported progress"
    assert not result.ok
    assert "was deleted or moved while it was open" in (result.files[0].error or "")


IMPORT_CHILD = """
import sys
from annotator.services.workspace import Workspace

ws = Workspace.open(sys.argv[1])
def progress(done, total):
    print(f"progress {done}/{total}", flush=True)
    sys.stdin.readline()  # wait until the parent has deleted the folder
result = ws.importer.import_paths([sys.argv[2]], progress=progress)
print("ok" if result.ok else "FAILED " + result.files[0].error, flush=True)
"""


def test_a_real_import_process_whose_data_folder_is_deleted_reports_failure(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db = folder / "annotator.db"
    Workspace.open(str(db)).close()
    source = big_jsonl(tmp_path / "big.jsonl")
    script = tmp_path / "child.py"
    script.write_text(IMPORT_CHILD, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), str(source)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None and proc.stdin is not None
    first = proc.stdout.readline()
    assert first.startswith("progress"), proc.stderr.read() if proc.stderr else ""
    shutil.rmtree(folder)
    out, err = proc.communicate("\n" * 1000, timeout=60)
    assert proc.returncode == 0, err
    assert "FAILED" in out and "was deleted or moved while it was open" in out, out
    assert "\nok" not in out
