"""Annotator's temporary files and folders: named so they are recognisable, held while in use, and
removed by the next run when a crash or a kill left them behind.

Everything written whole (exports, backups, settings, a new database) is first written under a
temporary name beside its target, ``.TARGET.annotator-XXXXXXXX.tmp``, then renamed into place. A
process killed before the rename leaves that file (and for SQLite its -journal); the next write into
the same folder removes it. A temporary file still being written is never removed: its writer holds
an exclusive flock on it (released by the kernel when the writer dies, even by kill -9), and a file
younger than a second is left alone in case its writer is just about to lock it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there, and age decides
    fcntl = None  # type: ignore[assignment]

MARK = ".annotator-"
# .TARGET.annotator-[old-]XXXX.tmp, and SQLite's side files of one.
PATTERN = re.compile(r"^\.(?P<target>.+)\.annotator-(?P<old>old-)?[0-9a-z_]{6,}\.tmp(?:-journal|-wal|-shm)?$")
GRACE_SECONDS = 1.0
UNLOCKABLE_GRACE_SECONDS = 24 * 3600  # where there is no flock: only what is a day old


def temp_path(target: Path, *, old: bool = False) -> Path:
    """A fresh temporary name beside ``target``."""
    return target.with_name(f".{target.name}{MARK}{'old-' if old else ''}{secrets.token_hex(6)}.tmp")


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a temporary file or folder of ours while it is written."""
    if fcntl is None:
        yield
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _in_use(path: Path) -> bool:
    """Whether a live process holds the lock on ``path`` (True when it cannot be told)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def clean_stale(folder: Path) -> list[str]:
    """Remove the temporary files and folders of ours in ``folder`` whose writer is gone; put back an
    old export folder that a killed swap left aside. Returns the names removed or restored."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    done: list[str] = []
    grace = GRACE_SECONDS if fcntl is not None else UNLOCKABLE_GRACE_SECONDS
    for name in names:
        match = PATTERN.match(name)
        if not match:
            continue
        path = folder / name
        is_side_file = not name.endswith(".tmp")
        if is_side_file and (folder / name[: name.rindex(".tmp") + 4]).exists():
            continue  # goes with its main file
        if _age(path) < grace or (not is_side_file and _in_use(path)):
            continue
        try:
            target = folder / match["target"]
            if match["old"] and path.is_dir() and not target.exists() and not target.is_symlink():
                os.rename(path, target)  # a swap killed half-way: the old export goes back
            elif path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
                for side in ("-journal", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        (folder / (name + side)).unlink()
            done.append(name)
        except OSError:
            continue  # in use or not ours to remove after all: left for a later run
    return done
