"""Field checks shared by the JSONL readers; each failure names the file, line and field."""

from __future__ import annotations

from typing import Any

from annotator.domain.display import shown
from annotator.domain.names import control_character
from annotator.domain.records import FormatError


def require_text(obj: Any, path: str, line: int) -> str:
    if not isinstance(obj, dict):
        raise FormatError(path, line, f"expected a JSON object, found {type(obj).__name__}")
    if "text" not in obj:
        raise FormatError(path, line, "missing", "text")
    text = obj["text"]
    if not isinstance(text, str):
        raise FormatError(path, line, f"must be a string, found {type(text).__name__}", "text")
    if not text:
        raise FormatError(path, line, "is empty", "text")
    return text


def optional_str(
    obj: dict[str, Any], key: str, path: str, line: int, *, allow_int: bool = False
) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if allow_int and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FormatError(path, line, f"must be a string, found {type(value).__name__}", key)
    return value


def check_offsets(start: Any, end: Any, text: str, path: str, line: int, field: str) -> tuple[int, int]:
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise FormatError(
                path, line, f"offset must be an integer, found {shown(value)}", f"{field}.{name}"
            )
        if value < 0:
            raise FormatError(path, line, f"offset {value} is negative", f"{field}.{name}")
        if value > len(text):
            raise FormatError(
                path,
                line,
                f"offset {value} is past the end of the text ({len(text)} characters)",
                f"{field}.{name}",
            )
    if start >= end:
        raise FormatError(path, line, f"start {start} is not before end {end}", field)
    return start, end


def require_name(value: Any, path: str, line: int, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FormatError(path, line, f"must be a non-empty string, found {shown(value)}", field)
    if bad := control_character(value):
        raise FormatError(
            path, line, f"must not contain control characters ({bad}), found {shown(value)}", field
        )
    return value
