"""Files that are not (or no longer) Annotator databases: refused with a message naming the file,
byte for byte untouched; and new databases, which are made whole, private and marked as ours."""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.services.workspace import Workspace
from annotator.store.database import Database
from annotator.store.errors import StoreError
from annotator.store.sqlite_files import APPLICATION_ID

REPO = Path(__file__).resolve().parents[2]


def folder_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def annotator_db_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real Annotator database with the sample article, closed (its WAL checkpointed)."""
    path = tmp_path_factory.mktemp("good") / "good.db"
    ws = Workspace.open(str(path))
    ws.ensure_sample()
    ws.close()
    data = path.read_bytes()
    assert len(data) >= 8 * 4096
    return data


def plain_sqlite(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def valid_header_then_random(good: bytes) -> bytes:
    # The first 100 bytes of a real database (page size, counters all valid), then noise.
    return good[:100] + os.urandom(len(good) - 100)


MAKERS: dict[str, tuple[Callable[[Path, bytes], None], str]] = {
    "zero-bytes": (lambda p, g: p.write_bytes(b""), r"is an empty file \(0 bytes\)"),
    "cut-to-half": (lambda p, g: p.write_bytes(g[: len(g) // 2]), r"is damaged: it was cut short"),
    "cut-to-one-page": (lambda p, g: p.write_bytes(g[:4096]), r"is damaged: it was cut short"),
    "cut-inside-header": (lambda p, g: p.write_bytes(g[:60]), r"is damaged: it ends after 60 bytes"),
    "header-then-random": (
        lambda p, g: p.write_bytes(b"SQLite format 3\x00" + os.urandom(8000)),
        r"is damaged or is not an Annotator database",
    ),
    "valid-header-then-random": (
        lambda p, g: p.write_bytes(valid_header_then_random(g)),
        r"is damaged or is not an Annotator database \(SQLite says: ",
    ),
    "empty-alembic-version": (
        lambda p, g: (p.write_bytes(g), plain_sqlite(p, "DELETE FROM alembic_version")),
        r"is damaged: its schema version table \(alembic_version\) is empty",
    ),
    "other-app-with-application-id": (
        lambda p, g: plain_sqlite(p, "PRAGMA application_id=1234"),
        r"belongs to another application \(its SQLite application id is 0x000004d2\)",
    ),
    "other-app-empty-sqlite": (
        lambda p, g: plain_sqlite(p, "PRAGMA user_version=7"),
        r"is an empty SQLite database that Annotator did not make",
    ),
    "other-app-using-alembic": (
        lambda p, g: plain_sqlite(
            p,
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('3f2a9c1b')",
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY)",
        ),
        r"was not made by Annotator \(it has a schema version table but none of Annotator's tables",
    ),
}


@pytest.mark.parametrize("case", sorted(MAKERS))
def test_a_file_that_is_not_a_usable_annotator_database_is_refused_untouched(
    tmp_path: Path, annotator_db_bytes: bytes, case: str
) -> None:
    make, expected = MAKERS[case]
    path = tmp_path / "data.db"
    make(path, annotator_db_bytes)
    before = folder_snapshot(tmp_path)
    with pytest.raises(StoreError, match=expected) as refused:
        Database.open(str(path))
    message = str(refused.value)
    assert str(path) in message
    assert "it was left untouched" in message
    assert "give a path where no file exists yet" in message
    assert folder_snapshot(tmp_path) == before  # no byte changed, no -wal/-shm/-journal made


@pytest.mark.parametrize("case", ["cut-to-half", "valid-header-then-random", "empty-alembic-version"])
def test_the_command_line_says_so_without_a_traceback(
    tmp_path: Path, annotator_db_bytes: bytes, case: str
) -> None:
    make, _ = MAKERS[case]
    path = tmp_path / "data.db"
    make(path, annotator_db_bytes)
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(path), "export", "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr and "left untouched" in result.stderr


def test_a_new_database_is_marked_private_and_made_whole(tmp_path: Path) -> None:
    path = tmp_path / "new" / "sub" / "a.db"
    ws = Workspace.open(str(path))
    try:
        ws.ensure_sample()
        names = sorted(p.name for p in path.parent.iterdir())
        assert names == ["a.db", "a.db-shm", "a.db-wal"]  # no temporary file left beside it
        for name in names:
            assert stat.S_IMODE((path.parent / name).stat().st_mode) == 0o600, name
    finally:
        ws.close()
    for folder in (tmp_path / "new", tmp_path / "new" / "sub"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    header = path.read_bytes()[:100]
    assert struct.unpack(">I", header[68:72])[0] == APPLICATION_ID
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    Database.open(str(path)).close()  # ours: opened again without complaint


def test_a_database_upgraded_from_an_older_release_gets_the_mark(tmp_path: Path) -> None:
    from tests.store.test_migrations import make_release_0001

    path = tmp_path / "old.db"
    make_release_0001(str(path), ["some text"])
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (0,)
    Database.open(str(path)).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)


def test_a_creation_killed_half_way_leaves_nothing_at_the_path_and_is_cleaned_up(tmp_path: Path) -> None:
    # What a kill -9 during creation leaves: the temporary file (here half written), never the target.
    leftover = tmp_path / ".a.db.annotator-0123456789ab.tmp"
    leftover.write_bytes(b"SQLite format 3\x00" + b"\x00" * 500)
    (tmp_path / (leftover.name + "-journal")).write_bytes(b"x")
    old = os.stat(leftover).st_mtime - 10
    os.utime(leftover, (old, old))
    os.utime(tmp_path / (leftover.name + "-journal"), (old, old))
    Database.open(str(tmp_path / "a.db")).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db"]
