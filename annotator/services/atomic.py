"""Files written whole or not at all: a private temporary file in the same folder, renamed into place.

The temporary file is named ``.NAME.annotator-XXXXXXXXXXXX.tmp`` and locked while written; one that a
killed run left behind is removed by the next write into that folder (annotator/temp_files.py).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from annotator.domain.errors import AnnotatorError
from annotator.temp_files import clean_stale, held, temp_path


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Write ``path`` whole or not at all. A device, a pipe or /dev/stdout cannot be replaced (as
    root, a rename would put a plain file where /dev/full was): the data is streamed into it. A
    symbolic link keeps pointing where it did: its target is replaced."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise AnnotatorError(f"cannot write {path}: {exc.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise AnnotatorError(f"cannot write {path}: it is a folder")
    if mode is not None and not stat.S_ISREG(mode):
        with _streamed_into(path) as fh:
            yield fh
        return
    path = path.resolve() if path.is_symlink() else path
    folder = path.parent
    if not folder.is_dir():
        raise AnnotatorError(f"cannot write {path}: the folder {folder} does not exist")
    clean_stale(folder)
    tmp = temp_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise AnnotatorError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh, held(tmp):
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # (a killer can strike only before this, leaving just the tmp)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AnnotatorError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _streamed_into(path: Path) -> Iterator[BinaryIO]:
    try:
        fh = path.open("wb")
    except OSError as exc:
        raise AnnotatorError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        raise AnnotatorError(f"cannot write {path}: {exc.strerror}") from None


def write_private_file(path: Path, data: bytes) -> None:
    """A new file readable by its owner only, in a folder that is synced and renamed into place
    whole (atomic_folder.py)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
