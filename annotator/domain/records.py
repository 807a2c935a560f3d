"""Plain records that cross the boundaries between file formats, services and the store.

Offsets are Unicode code point offsets into ``DocumentRecord.text``, end-exclusive, exactly as
Python slices them: ``text[start:end]`` is the span's text (DESIGN.md section 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from annotator.domain.display import safe_text
from annotator.domain.errors import AnnotatorError

Status = Literal["todo", "in_progress", "done"]
STATUSES: tuple[Status, ...] = ("todo", "in_progress", "done")


class SpanRecord(NamedTuple):
    """A NamedTuple, not a dataclass: hundreds of thousands are made per import or comparison,
    and a frozen dataclass costs several times as much to construct."""

    start: int
    end: int
    label: str
    annotator: str
    note: str | None = None


class DocumentLabelRecord(NamedTuple):
    """A label an annotator gave the whole document; ``label_set`` is its group (may be empty)."""

    label: str
    annotator: str
    label_set: str = ""


@dataclass(slots=True)
class DocumentRecord:
    uid: str | None
    text: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    spans: list[SpanRecord] = field(default_factory=list)
    status: dict[str, Status] = field(default_factory=dict)
    document_labels: list[DocumentLabelRecord] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)  # annotator -> comment
    guidelines: dict[str, int | None] = field(default_factory=dict)  # annotator -> version when done


PATH_LIMIT = 300
FIELD_LIMIT = 120
REASON_LIMIT = 500


class FormatError(AnnotatorError):
    """A file that cannot be read; the message names the file, line and field."""

    def __init__(self, path: str, line: int | None, message: str, field_name: str | None = None) -> None:
        self.path = path
        self.line = line
        self.field_name = field_name
        self.reason = message
        # Each part bounded on its own, so a huge quoted value cannot push the file name out of view.
        where = safe_text(path, PATH_LIMIT)
        if line is not None:
            where += f", line {line}"
        if field_name:
            where += f", field '{safe_text(field_name, FIELD_LIMIT)}'"
        super().__init__(f"{where}: {safe_text(message, REASON_LIMIT)}")
