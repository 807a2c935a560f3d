"""Reading JSONL files line by line into records, with format detection."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from annotator.domain.formats import limits
from annotator.domain.formats.limits import describe
from annotator.domain.formats.plain import check_text_head
from annotator.domain.records import DocumentRecord, FormatError

Parser = Callable[[Any, str, int, str | None], DocumentRecord | None]


def iter_objects(lines: Iterable[tuple[bytes, int]], head: bytes, path: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for every non-blank line; invalid JSON or UTF-8 names its line.

    ``lines``: (line without its newline, its full length) as read from the file, whose first
    bytes are ``head``; a line longer than the limit may come cut short. Lines go to orjson as
    bytes, which checks the UTF-8 itself: decoding the whole file first cost a tenth of a
    300,000-span import and delayed the first record until all of it was decoded."""
    check_text_head(head, path)
    offset = 0  # in the file, for messages
    for number, (line, length) in enumerate(lines, start=1):
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line, length, offset = line[len(codecs.BOM_UTF8) :], length - len(codecs.BOM_UTF8), 3
        if length > limits.JSONL_LINE_BYTES:
            raise FormatError(
                path,
                number,
                f"the line is {describe(length)} long; one JSONL record can be at most "
                f"{describe(limits.JSONL_LINE_BYTES)}",
            )
        if line and not line.isspace():
            try:
                yield number, orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as bad:
                    raise FormatError(
                        path,
                        number,
                        f"not UTF-8 text (byte 0x{line[bad.start]:02x} at offset {offset + bad.start})",
                    ) from None
                raise FormatError(path, number, f"invalid JSON ({exc})") from None
        offset += length + 1


def iter_objects_in(data: bytes, path: str) -> Iterator[tuple[int, Any]]:
    """iter_objects over a file already read whole (small inputs such as model output)."""
    return iter_objects(((line, len(line)) for line in data.split(b"\n")), data[:8192], path)


def detect_format(obj: Any) -> str:
    """Which JSONL dialect a record is: native, doccano or prodigy."""
    if isinstance(obj, dict):
        if "tokens" in obj or "_annotator_id" in obj or "answer" in obj:
            return "prodigy"
        if any(isinstance(obj.get(key), list) for key in ("label", "labels", "entities", "annotations")):
            return "doccano"
    return "jsonl"
