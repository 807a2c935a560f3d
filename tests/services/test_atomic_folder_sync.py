"""A brat-style folder export is on disk before it is swapped in: by one syncfs() when the system has
little unwritten data besides the export's, else by syncing exactly its own files (a syncfs() would
wait for other programs' data); a file that cannot be synced leaves the earlier folder and no
temporary one."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services import atomic_folder
from annotator.services.atomic_folder import atomic_folder as folder_written_whole


def _name_of(fd: int) -> str:
    return Path(os.readlink(f"/proc/self/fd/{fd}")).name


def _record_syncs(monkeypatch: pytest.MonkeyPatch, unwritten: int) -> tuple[list[str], list[Path]]:
    """(files synced one by one, folders whose filesystem was synced whole), with the system's
    unwritten data set to ``unwritten`` bytes."""
    synced: list[str] = []
    whole: list[Path] = []
    real_datasync, real_syncfs = atomic_folder._datasync, atomic_folder._syncfs

    def datasync(fd: int) -> None:
        synced.append(_name_of(fd))
        real_datasync(fd)

    def syncfs(folder: Path) -> bool:
        whole.append(folder)
        return real_syncfs(folder)

    monkeypatch.setattr(atomic_folder, "_datasync", datasync)
    monkeypatch.setattr(atomic_folder, "_syncfs", syncfs)
    monkeypatch.setattr(atomic_folder, "unwritten_bytes", lambda: unwritten)
    return synced, whole


def test_the_system_s_unwritten_data_is_read_from_proc_meminfo() -> None:
    if not Path("/proc/meminfo").is_file():
        assert atomic_folder.unwritten_bytes() is None
        return
    unwritten = atomic_folder.unwritten_bytes()
    assert unwritten is not None and unwritten >= 0


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names an fd through /proc")
def test_with_much_unwritten_data_elsewhere_every_file_is_synced_and_the_filesystem_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced, whole = _record_syncs(monkeypatch, unwritten=10 * atomic_folder.FOREIGN_DIRTY_ALLOWANCE)
    target = tmp_path / "out"
    target.mkdir()
    (target / "visual.conf").write_text("[drawing]\n", "utf-8")  # carried over: synced too
    with folder_written_whole(
        target, may_replace=lambda _p: None, carry_over=lambda p: p.suffix == ".conf"
    ) as new:
        for i in range(300):
            new.write(f"doc-{i}.txt", f"text {i}".encode())
        assert not target.joinpath("doc-0.txt").exists()  # nothing shows before the block ends
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([*(f"doc-{i}.txt" for i in range(300)), "visual.conf"])
    assert sorted(synced) == names
    assert whole == []
    assert (target / "doc-7.txt").read_bytes() == b"text 7"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs() is Linux's")
def test_with_little_unwritten_data_elsewhere_one_syncfs_does_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced, whole = _record_syncs(monkeypatch, unwritten=0)
    target = tmp_path / "out"
    with folder_written_whole(target, may_replace=lambda _p: None) as new:
        for i in range(50):
            new.write(f"doc-{i}.txt", b"x" * 1000)
    assert len(whole) == 1 and whole[0].parent == tmp_path
    assert synced == []
    assert len(list(target.iterdir())) == 50


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names an fd through /proc")
def test_when_syncfs_fails_the_files_are_synced_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced, _ = _record_syncs(monkeypatch, unwritten=0)
    monkeypatch.setattr(atomic_folder, "_libc_call", lambda _name: None)  # no syncfs in this C library
    with folder_written_whole(tmp_path / "out", may_replace=lambda _p: None) as new:
        for i in range(20):
            new.write(f"doc-{i}.txt", b"x")
    assert sorted(synced) == sorted(f"doc-{i}.txt" for i in range(20))


def test_a_file_that_cannot_be_synced_leaves_the_earlier_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_bytes(b"old")
    calls = 0

    def failing(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 57:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(atomic_folder, "_datasync", failing)
    monkeypatch.setattr(atomic_folder, "unwritten_bytes", lambda: None)  # (unknown: synced file by file)
    with (
        pytest.raises(AnnotatorError, match=r"cannot write the folder .*Input/output error"),
        folder_written_whole(target, may_replace=lambda _p: None) as new,
    ):
        for i in range(100):
            new.write(f"doc-{i}.txt", b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left
    assert [p.name for p in target.iterdir()] == ["old.txt"]
