"""Document-level labels and comments in the file formats that carry them: checks shared by the
readers (every failure a FormatError naming file, line and field) and the small pieces the
writers add to a record's line (kept here so each format's own module changes little)."""

from __future__ import annotations

from typing import Any

from annotator.domain.formats._fields import require_label
from annotator.domain.records import DocumentLabelRecord, DocumentRecord, FormatError


def label_names(value: Any, path: str, line: int | None, field_name: str) -> list[str]:
    """A list of label names (doccano ``cats``, Prodigy ``accept``, Label Studio ``choices``)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(
            path, line, f"must be a list of label names, got {type(value).__name__}", field_name
        )
    return [require_label(v, path, line or 0, f"{field_name}[{i}]") for i, v in enumerate(value)]


def by_annotator(record: DocumentRecord) -> dict[str, list[str]]:
    """{annotator: [document label names]} of a record, names sorted."""
    out: dict[str, list[str]] = {}
    for item in record.document_labels:
        out.setdefault(item.annotator, []).append(item.label)
    return {name: sorted(labels) for name, labels in out.items()}


def native_document_labels(record: DocumentRecord) -> list[dict[str, str]]:
    return [{"label": r.label, "annotator": r.annotator} for r in record.document_labels]


def parse_native_document_labels(
    value: Any, path: str, line: int, default_annotator: str | None
) -> list[DocumentLabelRecord]:
    """``[{"label": "...", "annotator": "..."}, ...]`` (the annotator may come from --annotator)."""
    if not value:
        return []
    if not isinstance(value, list):
        raise FormatError(path, line, f"must be a list, found {type(value).__name__}", "document_labels")
    out = []
    for i, item in enumerate(value):
        where = f"document_labels[{i}]"
        if not isinstance(item, dict):
            raise FormatError(path, line, f"must be an object, found {type(item).__name__}", where)
        if "label" not in item:
            raise FormatError(path, line, "missing", f"{where}.label")
        label = require_label(item["label"], path, line, f"{where}.label")
        annotator = item.get("annotator", default_annotator)
        if annotator is None:
            raise FormatError(path, line, "missing (or import with --annotator NAME)", f"{where}.annotator")
        out.append(DocumentLabelRecord(label, require_label(annotator, path, line, f"{where}.annotator")))
    return out


def parse_comments(value: Any, path: str, line: int) -> dict[str, str]:
    """``[{"annotator": "alice", "text": "comment"}, ...]``, or ``{"alice": "comment", ...}``."""
    if not value:
        return {}
    if isinstance(value, dict):
        pairs = [(name, body, f"comments.{name}", f"comments.{name}") for name, body in value.items()]
    elif isinstance(value, list):
        pairs = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise FormatError(
                    path, line, f"must be an object, found {type(item).__name__}", f"comments[{i}]"
                )
            for key in ("annotator", "text"):
                if key not in item:
                    raise FormatError(path, line, "missing", f"comments[{i}].{key}")
            pairs.append((item["annotator"], item["text"], f"comments[{i}].annotator", f"comments[{i}].text"))
    else:
        raise FormatError(path, line, f"must be a list, found {type(value).__name__}", "comments")
    out = {}
    for name, body, name_field, body_field in pairs:
        require_label(name, path, line, name_field)
        if not isinstance(body, str):
            raise FormatError(path, line, f"must be a string, found {type(body).__name__}", body_field)
        out[name] = body
    return out
