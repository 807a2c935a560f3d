"""Reading an import file with a bound: only regular files, and never more than the format's limit.

``annotator import /dev/zero`` used to read until memory ran out, and a FIFO blocked for ever. The file
is checked (``fstat`` of the opened file, so it cannot be swapped between check and read) before a byte
is read, and the read itself stops one byte past the limit, so a file that grows meanwhile (or a
``/proc`` file that reports size 0) is refused as well.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

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


def _open_checked(path: Path, limit: int, what: str, buffering: int = -1) -> tuple[BinaryIO, int]:
    """The opened file and its stated size, after the checks (a regular file, within ``limit``)."""
    name = str(path)
    try:
        _refuse_special(os.stat(path).st_mode, name)  # before opening: opening a FIFO blocks
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise FormatError(name, None, f"cannot read the file ({exc.strerror})") from None
    fh = os.fdopen(fd, "rb", buffering)  # buffered: read(n) returns n bytes unless at the end
    try:
        info = os.fstat(fh.fileno())
        _refuse_special(info.st_mode, name)
        if info.st_size > limit:
            raise _too_large(name, info.st_size, limit, what)
    except OSError as exc:
        fh.close()
        raise FormatError(name, None, f"cannot read the file ({exc.strerror})") from None
    except FormatError:
        fh.close()
        raise
    return fh, info.st_size


def read_input_file(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``; FormatError for a device, FIFO, socket or folder, or a file over
    ``limit`` bytes (``what`` names the kind of file in that message, e.g. "a .txt file")."""
    name = str(path)
    fh, size = _open_checked(path, limit, what)
    try:
        with fh:
            parts = [fh.read(size + 1)]
            total = len(parts[0])
            while total > size and total <= limit:  # it grew, or reported no size (/proc)
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


class InputLines:
    """The lines of a file read as they are iterated, so that memory holds one line, not the file
    (a 1 GiB JSONL import held the file twice over). The same checks and bound as
    read_input_file; the file stays open (one descriptor, checked once) until close().

    Iterating gives (line without its newline, its full length): a line over ``line_limit`` bytes
    is cut there, and its full length is counted without keeping the rest."""

    def __init__(self, path: Path, limit: int, what: str, line_limit: int) -> None:
        self.name = str(path)
        self._limit, self._what, self._line_limit = limit, what, line_limit
        self._fh, _size = _open_checked(path, limit, what, buffering=CHUNK)
        try:
            self.head = self._fh.peek(8192)[:8192]  # for the checks that look at the start
        except OSError as exc:
            self.close()
            raise FormatError(self.name, None, f"cannot read the file ({exc.strerror})") from None

    def count_lines(self) -> int:
        """How many lines (an upper bound for progress), read without moving the file position;
        refuses a file that is (or grew) over the limit."""
        fd, total, newlines = self._fh.fileno(), 0, 0
        try:
            while part := os.pread(fd, min(CHUNK, self._limit + 1 - total), total):
                total += len(part)
                newlines += part.count(b"\n")
                if total > self._limit:
                    raise _too_large(self.name, None, self._limit, self._what)
        except OSError as exc:
            raise FormatError(self.name, None, f"cannot read the file ({exc.strerror})") from None
        return newlines + 1

    def __iter__(self) -> Iterator[tuple[bytes, int]]:
        readline, cap, total = self._fh.readline, self._line_limit + 1, 0
        try:
            while line := readline(cap):
                ended = line.endswith(b"\n")
                length = len(line) - ended
                while not ended and len(line) == cap:  # over the limit: count the rest, keep the head
                    rest = readline(CHUNK)
                    if not rest:
                        break
                    ended = rest.endswith(b"\n")
                    length += len(rest) - ended
                total += length + ended
                if total > self._limit:
                    raise _too_large(self.name, None, self._limit, self._what)
                yield (line[:-1] if line.endswith(b"\n") else line), length
        except OSError as exc:
            raise FormatError(self.name, None, f"cannot read the file ({exc.strerror})") from None

    def close(self) -> None:
        self._fh.close()
