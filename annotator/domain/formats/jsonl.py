"""Reading JSONL files line by line into records, with format detection."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson

from annotator.domain.formats.plain import decode_utf8
from annotator.domain.records import DocumentRecord, FormatError

Parser = Callable[[Any, str, int, str | None], DocumentRecord | None]


def iter_objects(data: bytes, path: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for every non-blank line; invalid JSON names its line."""
    text = decode_utf8(data, path)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield number, orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise FormatError(path, number, f"invalid JSON ({exc})") from None


def detect_format(obj: Any) -> str:
    """Which JSONL dialect a record is: native, doccano or prodigy."""
    if isinstance(obj, dict):
        if "tokens" in obj or "_annotator_id" in obj or "answer" in obj:
            return "prodigy"
        if isinstance(obj.get("label"), list) or isinstance(obj.get("labels"), list):
            return "doccano"
    return "jsonl"
