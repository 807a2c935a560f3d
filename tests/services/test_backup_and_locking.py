"""File > Backup's consistent copy, and the warning for SQLite files on network filesystems."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace
from annotator.store.locking import filesystem_type, lock_warning

MOUNTS = """/dev/vda / ext4 rw,relatime 0 0
server:/export /mnt/team nfs4 rw,relatime 0 0
//nas/share /mnt/nas cifs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def test_backup_is_a_consistent_copy_of_a_wal_database(ws: Workspace, backend: str, tmp_path: Path) -> None:
    ws.ensure_sample()
    me = ws.annotators.sign_in("alice")
    doc = ws.documents.list_for(me.id)[0]
    label = ws.labels.list()[0].id
    for i in range(20):
        ws.annotations.add(doc.id, me.id, label, i * 10, i * 10 + 5)
    target = tmp_path / "copy.db"
    if backend != "sqlite":
        with pytest.raises(AnnotatorError, match="pg_dump"):
            ws.backup(target)
        assert not target.exists()
        return
    ws.backup(target)
    copy = Workspace.open(str(target))
    try:
        alice = copy.annotators.find("alice")
        assert len(copy.annotations.spans_for(doc.id, alice.id)) == 20
    finally:
        copy.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".copy")] == []


def test_backup_into_a_missing_folder_is_refused(ws: Workspace, backend: str, tmp_path: Path) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL backups are made on the server")
    with pytest.raises(AnnotatorError, match="cannot write the backup"):
        ws.backup(tmp_path / "missing" / "copy.db")


def test_a_backup_onto_the_open_database_itself_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ws = Workspace.open(str(path))
    try:
        ws.ensure_sample()
        with pytest.raises(AnnotatorError, match="is the database itself"):
            ws.backup(path)
        me = ws.annotators.sign_in("alice")
        doc = ws.documents.list_for(me.id)[0].id
        ws.annotations.add(doc, me.id, ws.labels.list()[0].id, 0, 5)  # still the same, working file
    finally:
        ws.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db"]


def test_filesystem_type_takes_the_longest_mount_point() -> None:
    assert filesystem_type(Path("/mnt/team/annotations/a.db"), MOUNTS) == "nfs4"
    assert filesystem_type(Path("/mnt/teamwork/a.db"), MOUNTS) == "ext4"
    assert filesystem_type(Path("/tmp/a.db"), MOUNTS) == "tmpfs"


def test_network_filesystems_get_a_clear_warning() -> None:
    warning = lock_warning(Path("/mnt/nas/a.db"), MOUNTS)
    assert warning is not None and "network filesystem (cifs)" in warning and "PostgreSQL" in warning
    assert lock_warning(Path("/home/alice/a.db"), MOUNTS) is None


def test_a_read_only_database_refuses_edits_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ws = Workspace.open(str(path))
    ws.ensure_sample()
    me = ws.annotators.sign_in("alice")
    doc = ws.documents.list_for(me.id)[0].id
    ws.close()
    read_only = Workspace.open(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with pytest.raises(AnnotatorError, match="read-only; nothing was changed"):
            read_only.annotations.add(doc, me.id, read_only.labels.list()[0].id, 1, 5)
        assert read_only.annotations.spans_for(doc, me.id) == []
    finally:
        read_only.close()
