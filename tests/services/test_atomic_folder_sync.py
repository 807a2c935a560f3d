"""A brat-style folder export syncs exactly its own files (and never the whole filesystem) before it
is swapped in; a file that cannot be synced leaves the earlier folder and no temporary one."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services import atomic_folder
from annotator.services.atomic_folder import atomic_folder as folder_written_whole


def _name_of(fd: int) -> str:
    return Path(os.readlink(f"/proc/self/fd/{fd}")).name


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names an fd through /proc")
def test_every_file_is_synced_before_the_swap_and_the_filesystem_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real = atomic_folder._datasync

    def recording(fd: int) -> None:
        synced.append(_name_of(fd))
        real(fd)

    monkeypatch.setattr(atomic_folder, "_datasync", recording)
    assert not hasattr(atomic_folder, "_sync_files")  # (the syncfs() of the whole filesystem is gone)
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
    assert (target / "doc-7.txt").read_bytes() == b"text 7"


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
    with (
        pytest.raises(AnnotatorError, match=r"cannot write the folder .*Input/output error"),
        folder_written_whole(target, may_replace=lambda _p: None) as new,
    ):
        for i in range(100):
            new.write(f"doc-{i}.txt", b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left
    assert [p.name for p in target.iterdir()] == ["old.txt"]
