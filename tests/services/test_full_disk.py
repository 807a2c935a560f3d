"""A really full disk: a 2 MiB tmpfs filled to its last byte (needs root to mount; skipped otherwise,
test_store_faults.py simulates SQLITE_FULL with max_page_count everywhere).

SQLite reports a full disk as "database or disk is full" on most paths but as "disk I/O error" on
some (growing the -shm file when a database is opened); either way the message says the disk is
full, nothing is changed, nothing half-written is left, and the same action works once space is free.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace

FULL = r"disk is full"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the max_page_count simulation still runs)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk to its last byte (then free ``leave`` bytes again)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    try:
        while True:
            os.write(fd, b"\0")
    except OSError:
        pass
    if leave:
        os.ftruncate(fd, os.fstat(fd).st_size - leave)
    os.close(fd)
    st = os.statvfs(disk)
    assert st.f_bavail * st.f_frsize <= leave
    return filler


def ours(disk: Path) -> list[str]:
    return sorted(p.name for p in disk.iterdir() if p.name != "filler")


def first_document(ws: Workspace) -> tuple[int, int, int]:
    ws.ensure_sample()
    me = ws.annotators.sign_in("alice")
    return ws.documents.list_for(me.id)[0].id, me.id, ws.labels.list()[0].id


def test_opening_and_editing_on_a_full_disk_says_disk_full_then_works_once_space_is_free(disk: Path) -> None:
    path = disk / "a.db"
    ws = Workspace.open(str(path))
    doc, me, label = first_document(ws)
    ws.close()  # -wal and -shm removed: opening again has to create them
    filler = fill(disk)
    with pytest.raises(AnnotatorError) as refused:
        ws = Workspace.open(str(path))
        try:
            ws.annotations.add(doc, me, label, 0, 5)
        finally:
            ws.close()
    message = str(refused.value)
    assert "disk is full" in message and str(path) in message
    assert "disk I/O error" not in message
    filler.unlink()
    ws = Workspace.open(str(path))
    try:
        assert ws.annotations.spans_for(doc, me) == []  # nothing half-saved
        ws.annotations.add(doc, me, label, 0, 5)
        assert len(ws.annotations.spans_for(doc, me)) == 1
    finally:
        ws.close()


def test_an_import_that_fills_the_disk_imports_nothing_and_says_so(disk: Path, tmp_path: Path) -> None:
    ws = Workspace.open(str(disk / "a.db"))
    try:
        ws.ensure_sample()
        source = tmp_path / "big.jsonl"
        source.write_bytes(
            b"".join(
                # 300 of them: with the search index (migration 0009) 400 no longer fit the 2 MiB disk
                orjson.dumps({"id": f"d{i}", "text": "Tariffs rose. " * 300}) + b"\n"
                for i in range(300)
            )
        )
        filler = fill(disk, leave=256 * 1024)
        result = ws.importer.import_paths([source])
        assert not result.ok
        assert "is full; nothing was changed" in (result.files[0].error or "")
        assert ws.documents.count() == 1
        filler.unlink()
        assert ws.importer.import_paths([source]).ok
        assert ws.documents.count() == 301
    finally:
        ws.close()


@pytest.mark.parametrize("leave", [0, 16 * 1024, 64 * 1024])
def test_a_backup_onto_a_full_disk_says_so_and_leaves_nothing_behind(
    disk: Path, tmp_path: Path, leave: int
) -> None:
    ws = Workspace.open(str(tmp_path / "a.db"))  # the database on a roomy disk, the backup on the full one
    try:
        ws.ensure_sample()
        fill(disk, leave=leave)
        with pytest.raises(AnnotatorError, match=r"cannot write the backup .*copy\.db: the disk is full"):
            ws.backup(disk / "copy.db")
    finally:
        ws.close()
    assert ours(disk) == []  # no partial copy, no -journal


def test_a_new_database_on_a_full_disk_is_not_left_half_made(disk: Path) -> None:
    fill(disk, leave=8 * 1024)
    with pytest.raises(AnnotatorError, match=rf"cannot create the database .*new\.db: the {FULL}"):
        Workspace.open(str(disk / "new.db"))
    assert ours(disk) == []  # not even an empty file, which the next start would refuse
