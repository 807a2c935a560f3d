"""Field checks shared by the JSONL readers: every failure is a FormatError naming file, line and field."""

from __future__ import annotations

from typing import Any

from annotator.domain.display import shown
from annotator.domain.names import control_character
from annotator.domain.records import FormatError


def require_object(obj: Any, path: str, line: int) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise FormatError(path, line, f"expected a JSON object, got {type(obj).__name__}")
    return obj


def require_text(obj: dict[str, Any], path: str, line: int) -> str:
    if "text" not in obj:
        raise FormatError(path, line, "missing", "text")
    text = obj["text"]
    if not isinstance(text, str):
        raise FormatError(path, line, f"must be a string, got {type(text).__name__}", "text")
    return text


def optional_id(value: Any, path: str, line: int, field_name: str) -> str | None:
    """Document ids may be strings or integers (doccano numbers its documents); bool is neither."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise FormatError(path, line, f"must be a string or an integer, got {type(value).__name__}", field_name)


def require_label(value: Any, path: str, line: int, field_name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FormatError(path, line, f"must be a non-empty string, got {shown(value)}", field_name)
    if bad := control_character(value):
        raise FormatError(
            path, line, f"must not contain control characters ({bad}), got {shown(value)}", field_name
        )
    return value


def require_offsets(
    start: Any, end: Any, text_len: int, path: str, line: int, start_field: str, end_field: str
) -> tuple[int, int]:
    """Code point offsets, end-exclusive: integers (not bool), 0 <= start < end <= len(text)."""
    for value, name in ((start, start_field), (end, end_field)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise FormatError(path, line, f"must be an integer offset, got {shown(value)}", name)
        if value < 0:
            raise FormatError(path, line, f"must not be negative, got {value}", name)
        if value > text_len:
            raise FormatError(path, line, f"{value} is past the end of the text (length {text_len})", name)
    if start >= end:
        raise FormatError(path, line, f"start {start} must be less than end {end}", start_field)
    return start, end
