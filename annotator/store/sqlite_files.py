"""SQLite files on disk: which ones are Annotator's, how a new one comes into being, and what is wrong
with one that cannot be used.

Rules:
- A file that exists is opened only if it can be an Annotator database. An empty file (0 bytes), a
  file that is not SQLite, a damaged one, or one stamped by another application (PRAGMA application_id)
  is refused and left untouched; the message names the file and says how to start a new database.
- A new database is made only where no file exists: built whole in a temporary file beside the
  target (0600: private), then hard-linked into place, which fails if anything appeared there
  meanwhile. So a database path is never an empty or half-made file, not even after a crash.
- New databases carry Annotator's application id, so they are recognisable (``file`` and SQLite
  tools show it) and another application's empty database is not mistaken for a new one of ours.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import struct
from contextlib import closing
from pathlib import Path

from annotator.paths import make_private_dir
from annotator.store.errors import StoreError
from annotator.temp_files import clean_stale, held, temp_path

SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
APPLICATION_ID = 0x416E6E6F  # "Anno"
SIDE_FILES = ("-journal", "-wal", "-shm")
NEW_DATABASE_HINT = "To start a new database, give a path where no file exists yet"


def left_untouched(path: Path, what: str) -> str:
    return f"{path} {what}; it was left untouched. {NEW_DATABASE_HINT}"


def check_existing_file(path: Path) -> None:
    """Refuse, without writing to it, a file that cannot be an Annotator database."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(HEADER_SIZE)
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror}") from None
    if size == 0:
        raise StoreError(left_untouched(path, "is an empty file (0 bytes), not an Annotator database"))
    magic = header[: len(SQLITE_HEADER)]
    if magic != SQLITE_HEADER[: len(magic)]:
        raise StoreError(left_untouched(path, "is not an Annotator database (it is not a SQLite file)"))
    problem = header_problem(path, header, size)
    if problem:
        raise StoreError(left_untouched(path, problem))


def header_problem(path: Path, header: bytes, size: int) -> str | None:
    """What the 100-byte SQLite header says is wrong with the file, if anything."""
    if len(header) < HEADER_SIZE:
        return f"is damaged: it ends after {size} bytes, inside the SQLite header"
    (raw_page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if raw_page_size == 1 else raw_page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "is damaged or is not an Annotator database (its SQLite header is invalid)"
    (application_id,) = struct.unpack(">I", header[68:72])
    if application_id not in (0, APPLICATION_ID):
        return (
            f"belongs to another application (its SQLite application id is {application_id:#010x}), "
            "it is not an Annotator database"
        )
    (change_counter, pages) = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    # The page count is trustworthy when the two counters agree; with a log beside the file the
    # file may lag behind it until the next checkpoint, so the check is made only without one.
    if pages and change_counter == valid_for and size < pages * page_size and not _has_log(path):
        return f"is damaged: it was cut short ({size:,} bytes of {pages * page_size:,})"
    return None


def _has_log(path: Path) -> bool:
    for suffix in ("-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        try:
            if side.stat().st_size > 0:
                return True
        except OSError:
            continue
    return False


def damaged_message(path: Path, detail: str) -> str:
    return left_untouched(path, f"is damaged or is not an Annotator database (SQLite says: {detail})")


def empty_database_message(path: Path) -> str:
    return left_untouched(
        path, "is an empty SQLite database that Annotator did not make (no tables, no Annotator mark)"
    )


def prepare(path: Path, *, create: bool = True) -> None:
    """Before connecting: check an existing file, or make the new database whole."""
    exists = path.exists() or path.is_symlink()
    if exists or not create:
        if exists:
            check_existing_file(path)
            with contextlib.suppress(OSError):
                make_private_dir(path.parent)  # (tightens an older release's 0755 data folder)
        return
    try:
        make_private_dir(path.parent)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for the database {path}: {exc.strerror}") from None
    create_new(path)


def create_new(path: Path) -> None:
    """The head schema and default labels in a private temporary file, linked into place."""
    from annotator.store.migrations.snapshot import create_from_snapshot

    clean_stale(path.parent)
    tmp = temp_path(path)
    try:
        create_private_file(tmp)  # 0600; SQLite gives its -wal and -shm the same mode
        with held(tmp):
            with closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                create_from_snapshot(conn)
            # (closed: the temporary -wal is checkpointed into the file and removed)
            _fsync(tmp)
            _link_into_place(tmp, path)
            _fsync(path.parent)
    except sqlite3.Error as exc:
        raise StoreError(creation_failure(path, str(exc))) from None
    except OSError as exc:
        raise StoreError(creation_failure(path, exc.strerror or str(exc))) from None
    finally:
        remove_with_side_files(tmp)


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy with SQLite's backup API (a plain copy of a WAL database can miss committed
    pages), made in a private temporary file beside ``target`` and renamed into place. When it
    fails, nothing is left behind: no partial copy, no -journal."""
    clean_stale(target.parent)
    tmp = temp_path(target)
    try:
        create_private_file(tmp)
        with held(tmp):
            with closing(sqlite3.connect(tmp)) as copy:
                source.backup(copy)
            _fsync(tmp)
            os.replace(tmp, target)
            _fsync(target.parent)
    except (OSError, sqlite3.Error) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if says_disk_full(detail, target.parent):
            detail = "the disk is full. Free some space and try again"
        raise StoreError(f"cannot write the backup {target}: {detail}") from None
    finally:
        remove_with_side_files(tmp)


def creation_failure(path: Path, detail: str) -> str:
    if says_disk_full(detail, path.parent):
        return f"cannot create the database {path}: the disk is full. Free some space and try again"
    return f"cannot create the database {path}: {detail}"


def _link_into_place(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # fails if a file appeared there: never replace one
    except FileExistsError:
        pass  # another copy of Annotator made it at the same moment: that one is opened
    except OSError:
        # Filesystems without hard links (FAT on a USB stick): a rename, checked just before.
        if not path.exists():
            os.replace(tmp, path)


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # folders cannot be synced on every platform
    finally:
        os.close(fd)


def remove_with_side_files(path: Path) -> None:
    """Remove a database file of ours and its -journal/-wal/-shm, whichever exist."""
    for name in (path.name, *(path.name + s for s in SIDE_FILES)):
        try:
            (path.parent / name).unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass  # reported by the caller's own error; a leftover is cleaned up next time


def create_private_file(path: Path) -> None:
    """An empty file readable by its owner only, for SQLite to fill."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def stamp_application_id(dbapi_conn: sqlite3.Connection) -> None:
    dbapi_conn.execute(f"PRAGMA application_id={APPLICATION_ID}")


def is_disk_full(folder: Path) -> bool:
    """Whether the filesystem holding ``folder`` has (next to) no space left for a user's files.

    SQLite reports a full disk as SQLITE_FULL on most paths but as a plain disk I/O error on some
    (growing the -shm file, syncing), so its message alone cannot be trusted."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        st = os.statvfs(probe)
    except (OSError, AttributeError):  # (no statvfs on Windows)
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def says_disk_full(detail: str, folder: Path) -> bool:
    """Whether an error means a full disk: SQLITE_FULL or ENOSPC say so; a disk I/O error may."""
    lowered = detail.lower()
    if ("disk" in lowered and "full" in lowered) or "no space left" in lowered:
        return True
    return ("i/o error" in lowered or "input/output error" in lowered) and is_disk_full(folder)


class FileIdentity:
    """Which file a path named when the database was opened, to notice it being deleted or replaced.

    SQLite keeps writing to a file it has open even after the file (or its whole folder) is deleted
    or a different file is moved to its path; the writes then go nowhere anyone can find, yet they
    succeed. Comparing the path's device and inode with those seen at opening catches it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        st = path.stat()
        self._key = (st.st_dev, st.st_ino)

    def problem(self) -> str | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return f"the database file {self.path} (or its folder) was deleted or moved while it was open"
        except OSError as exc:
            return f"the database file {self.path} cannot be reached any more ({exc.strerror})"
        if (st.st_dev, st.st_ino) != self._key:
            return f"the database file {self.path} was replaced by another file while it was open"
        return None
