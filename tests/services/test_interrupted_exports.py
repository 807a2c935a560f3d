"""An export killed (SIGKILL, no clean-up) over an earlier export leaves the earlier one or the new one,
whole, never a mix; whatever temporary files it left are removed by the next run."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = 400

EXPORT_CHILD = """
import sys
from pathlib import Path
from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace

ws = Workspace.open(sys.argv[1])
def progress(done, total):
    print(f"progress {done}/{total}", flush=True)
ws.exporter.export(sys.argv[2], ExportFilter(), path=Path(sys.argv[3]), progress=progress)
print("done", flush=True)
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def ours(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".annotator-" in p.name)


def add_documents(db: Path, tmp_path: Path, annotator: str) -> None:
    source = tmp_path / f"{annotator}.jsonl"
    with source.open("wb") as fh:
        for d in range(DOCUMENTS):
            text = f"Document {d}. " + "Tariffs rose and talks ended. " * 40
            spans = [
                {"start": i, "end": i + 7, "label": "framing", "annotator": annotator}
                for i in range(0, 600, 30)
            ]
            fh.write(orjson.dumps({"id": f"doc-{d}", "text": text, "spans": spans}) + b"\n")
    ws = Workspace.open(str(db))
    try:
        result = ws.importer.import_paths([source])
        assert result.ok, result.files[0].error
    finally:
        ws.close()


def export(db: Path, fmt: str, target: Path) -> None:
    ws = Workspace.open(str(db))
    try:
        ws.exporter.export(fmt, ExportFilter(), path=target)
    finally:
        ws.close()


def export_killed(db: Path, fmt: str, target: Path, script: Path, delay: float) -> bool:
    """Run a real export in a child process and SIGKILL it ``delay`` s after its first progress
    report; True if the kill is what ended it."""
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), fmt, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("progress"), (line, proc.stderr.read() if proc.stderr else "")
        time.sleep(delay)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    if proc.returncode != -signal.SIGKILL:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
        return False
    return True


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A database, and the old and new exports of it (before and after bob's spans), per format."""
    tmp = tmp_path_factory.mktemp("exports")
    db = tmp / "a.db"
    add_documents(db, tmp, "alice")
    references: dict[str, object] = {"db": db, "tmp": tmp}
    for fmt, name in (("brat", "brat-old"), ("jsonl", "old.jsonl")):
        export(db, fmt, tmp / name)
    add_documents(db, tmp, "bob")
    for fmt, name in (("brat", "brat-new"), ("jsonl", "new.jsonl")):
        export(db, fmt, tmp / name)
    return references


# The first progress report comes after 200 of the 400 documents (two files each) were written.
# Measured here: the other 200 take about 0.1 s, then one syncfs and the swap, then removing the old
# export takes 0.3-1.5 s (an unlink costs up to 3 ms on this disk). The delays land during the
# writing, around the swap, during the removal and after the end.
@pytest.mark.parametrize("delay", [0.0, 0.03, 0.06, 0.1, 0.2, 2.0])
def test_a_brat_export_killed_over_an_older_one_leaves_the_old_or_the_new_whole(
    exports: dict[str, object], tmp_path: Path, delay: float
) -> None:
    db, tmp = exports["db"], exports["tmp"]
    assert isinstance(db, Path) and isinstance(tmp, Path)
    old, new = snapshot(tmp / "brat-old"), snapshot(tmp / "brat-new")
    assert old != new and len(new) == 2 * DOCUMENTS + 1
    target = tmp_path / "brat"
    shutil.copytree(tmp / "brat-old", target)
    script = tmp_path / "export_child.py"
    script.write_text(EXPORT_CHILD, encoding="utf-8")

    killed = export_killed(db, "brat", target, script, delay)

    after = snapshot(target)
    assert after in (old, new), "a torn export: old and new files mixed"
    if delay == 0.0:
        assert killed and after == old  # this kill really landed inside the export
    # The next run replaces it with the new export and removes what the killed one left.
    time.sleep(1.1)  # (a temporary file younger than a second may be one just being locked)
    export(db, "brat", target)
    assert snapshot(target) == new
    assert ours(tmp_path) == []


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2, 0.5])
def test_a_single_file_export_killed_over_an_older_one_leaves_no_temporary_file_behind(
    exports: dict[str, object], tmp_path: Path, delay: float
) -> None:
    db, tmp = exports["db"], exports["tmp"]
    assert isinstance(db, Path) and isinstance(tmp, Path)
    old, new = (tmp / "old.jsonl").read_bytes(), (tmp / "new.jsonl").read_bytes()
    target = tmp_path / "out.jsonl"
    shutil.copy(tmp / "old.jsonl", target)
    script = tmp_path / "export_child.py"
    script.write_text(EXPORT_CHILD, encoding="utf-8")

    killed = export_killed(db, "jsonl", target, script, delay)

    assert target.read_bytes() in (old, new)
    if delay == 0.0:
        assert killed and len(ours(tmp_path)) == 1  # what the issue saw: a *.tmp left behind
    time.sleep(1.1)
    export(db, "doccano", tmp_path / "other.jsonl")  # any later export into the folder cleans up
    assert ours(tmp_path) == []
    assert target.read_bytes() in (old, new)


def test_a_temporary_file_still_being_written_is_not_removed(tmp_path: Path) -> None:
    from annotator.services.atomic import atomic_write

    target = tmp_path / "slow.jsonl"
    with atomic_write(target) as fh:
        fh.write(b"first half\n")
        [tmp] = ours(tmp_path)
        old = time.time() - 60
        os.utime(tmp_path / tmp, (old, old))  # old enough: only its lock protects it now
        with atomic_write(tmp_path / "other.jsonl") as other:
            other.write(b"x\n")
        assert (tmp_path / tmp).exists()
        fh.write(b"second half\n")
    assert target.read_bytes() == b"first half\nsecond half\n"
    assert ours(tmp_path) == []


def test_brat_export_refuses_to_replace_a_folder_that_is_not_a_brat_export(
    exports: dict[str, object], tmp_path: Path
) -> None:
    db = exports["db"]
    assert isinstance(db, Path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "source-1.txt").write_text("a person's own texts")
    (corpus / "notes.md").write_text("notes")
    before = snapshot(corpus)
    with pytest.raises(AnnotatorError, match=r"is not an earlier brat export \(it holds notes\.md\)"):
        export(db, "brat", corpus)
    assert snapshot(corpus) == before
    assert ours(tmp_path) == []


def test_brat_export_keeps_the_brat_settings_added_to_an_earlier_export(
    exports: dict[str, object], tmp_path: Path
) -> None:
    db, tmp = exports["db"], exports["tmp"]
    assert isinstance(db, Path) and isinstance(tmp, Path)
    target = tmp_path / "brat"
    shutil.copytree(tmp / "brat-old", target)
    (target / "visual.conf").write_text("[labels]\nframing | Framing\n")
    (target / "doc-stale.txt").write_text("a document no longer exported")
    (target / "doc-stale.ann").write_text("")
    export(db, "brat", target)
    expected = {**snapshot(tmp / "brat-new"), "visual.conf": b"[labels]\nframing | Framing\n"}
    assert snapshot(target) == expected  # the stale document is gone, brat's settings stay


def aged(*paths: Path) -> None:
    old = time.time() - 60
    for path in paths:
        os.utime(path, (old, old))


def test_where_folders_cannot_be_exchanged_a_swap_killed_between_its_renames_is_undone(
    exports: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.services import atomic_folder
    from annotator.temp_files import clean_stale

    db, tmp = exports["db"], exports["tmp"]
    assert isinstance(db, Path) and isinstance(tmp, Path)
    monkeypatch.setattr(atomic_folder, "_exchange", lambda a, b: False)  # (macOS, Windows, old Linux)
    target = tmp_path / "brat"
    shutil.copytree(tmp / "brat-old", target)
    export(db, "brat", target)  # the two-rename swap
    assert snapshot(target) == snapshot(tmp / "brat-new") and ours(tmp_path) == []

    # What a kill between the renames leaves: the old export renamed aside, the new one unplaced.
    shutil.rmtree(target)
    aside, unplaced = (
        tmp_path / ".brat.annotator-old-0a1b2c3d4e5f.tmp",
        tmp_path / ".brat.annotator-9f8e7d6c5b4a.tmp",
    )
    shutil.copytree(tmp / "brat-old", aside)
    shutil.copytree(tmp / "brat-new", unplaced)
    aged(aside, unplaced)
    assert sorted(clean_stale(tmp_path)) == sorted([aside.name, unplaced.name])
    assert snapshot(target) == snapshot(tmp / "brat-old")  # the old export is back where it was
    assert ours(tmp_path) == []


def test_the_clean_up_touches_only_temporary_files_of_ours(tmp_path: Path) -> None:
    from annotator.temp_files import clean_stale

    theirs = [
        ".notes.tmp",
        "report.annotator-0a1b2c3d4e5f.tmp",  # not hidden: not a name we give
        ".report.annotator-0a1b2c3d4e5f.txt",
        ".report.annotator-AB.tmp",
        "annotator.db",
    ]
    for name in theirs:
        (tmp_path / name).write_text("someone's file")
    mine = tmp_path / ".report.jsonl.annotator-0a1b2c3d4e5f.tmp"
    mine.write_text("half an export")
    (tmp_path / (mine.name + "-journal")).write_text("x")
    aged(*tmp_path.iterdir())
    assert clean_stale(tmp_path) == [mine.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(theirs)


def test_export_into_a_device_streams_into_it_and_never_replaces_it(ws, tmp_path) -> None:
    """As root a rename over /dev/null would leave a plain file there; the export writes into it."""
    ws.ensure_sample()
    before = os.stat("/dev/null")
    summary = ws.exporter.export("jsonl", ExportFilter(), path=Path("/dev/null"))
    after = os.stat("/dev/null")
    assert summary.documents == 1
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(ws, tmp_path) -> None:
    ws.ensure_sample()
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    ws.exporter.export("jsonl", ExportFilter(), path=link)
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text().startswith('{"id":')
