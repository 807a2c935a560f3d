"""What the services hand to the UI and the command line: plain, immutable values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class LabelInfo:
    id: int
    name: str
    color: str
    hotkey: str | None
    description: str
    position: int
    archived: bool
    kind: str = "span"  # span | document (a label for the whole document)
    label_set: str = ""  # a document label's group
    multiple: bool = False  # its group allows several labels per document

    @property
    def is_document_label(self) -> bool:
        return self.kind == "document"


@dataclass(frozen=True, slots=True)
class GuidelineVersionInfo:
    version: int
    label_id: int
    label_name: str
    description: str
    author: str
    created_at: str  # ISO 8601, UTC


@dataclass(frozen=True, slots=True)
class AnnotatorInfo:
    id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    uid: str
    title: str
    length: int
    status: str
    span_count: int


@dataclass(frozen=True, slots=True)
class DocumentContent:
    id: int
    uid: str
    title: str
    text: str


class SpanInfo(NamedTuple):  # a NamedTuple: documents hold tens of thousands
    id: int
    document_id: int
    annotator_id: int
    label_id: int
    start: int
    end: int
    note: str | None
