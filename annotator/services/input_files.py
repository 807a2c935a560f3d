"""Reading an import file with a bound: only regular files, and never more than the format's limit.

``annotator import /dev/zero`` used to read until memory ran out, and a FIFO blocked for ever. The file
is checked (``fstat`` of the opened file, so it cannot be swapped between check and read) before a byte
is read, and the read itself stops one byte past the limit, so a file that grows meanwhile (or a
``/proc`` file that reports size 0) is refused as well.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from annotator.domain.formats.limits import describe
from annotator.domain.records import FormatError

CHUNK = 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_special(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((k for test, k in _KINDS if test(mode)), "something other than a file")
    raise FormatError(
        name, None, f"this is {kind}; import reads regular files only (name the files to import)"
    )


def _too_large(name: str, size: int | None, limit: int, what: str) -> FormatError:
    shown = describe(size) if size is not None and describe(size) != describe(limit) else None
    size_text = shown or f"over {describe(limit)}"
    return FormatError(name, None, f"the file is {size_text}; {what} can be at most {describe(limit)}")


def refuse_special_file(path: Path) -> None:
    """FormatError unless ``path`` is a regular file (or missing: reading it then says so)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    _refuse_special(mode, str(path))


def read_input_file(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``; FormatError for a device, FIFO, socket or folder, or a file over
    ``limit`` bytes (``what`` names the kind of file in that message, e.g. "a .txt file")."""
    name = str(path)
    try:
        _refuse_special(os.stat(path).st_mode, name)  # before opening: opening a FIFO blocks
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise FormatError(name, None, f"cannot read the file ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "rb") as fh:  # buffered: read(n) returns n bytes unless at the end
            info = os.fstat(fh.fileno())
            _refuse_special(info.st_mode, name)
            if info.st_size > limit:
                raise _too_large(name, info.st_size, limit, what)
            parts = [fh.read(info.st_size + 1)]
            total = len(parts[0])
            while total > info.st_size and total <= limit:  # it grew, or reported no size (/proc)
                part = fh.read(min(CHUNK, limit + 1 - total))
                if not part:
                    break
                parts.append(part)
                total += len(part)
    except OSError as exc:
        raise FormatError(name, None, f"cannot read the file ({exc.strerror})") from None
    if total > limit:
        raise _too_large(name, None, limit, what)
    return parts[0] if len(parts) == 1 else b"".join(parts)
