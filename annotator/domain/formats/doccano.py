"""doccano sequence-labelling JSONL: ``{"id": ..., "text": ..., "label": [[start, end, "label"], ...]}``.

Decisions:
- Offsets are code point offsets, end-exclusive, into ``text`` exactly as stored (what doccano uses).
- Labels are written unchanged (doccano accepts any string, spaces included).
- doccano's span shape has no annotator and no note: notes are not exported. The service filters to one
  annotator (or the gold layer) per file; if a record still holds spans of several annotators, their
  sorted names go in a top-level ``"annotators"`` list, and identical ``[start, end, label]`` triples
  from different annotators are written once.
- Spans are sorted by (start, end, label). ``id`` is the document uid (``null`` when it has none).
- Reading: ``id`` may be a string or an integer (doccano numbers documents); ``label`` is optional; every
  span is attributed to ``default_annotator`` (the file carries no annotator). A string ``title`` becomes
  the title; other keys go to ``meta``.
"""

from __future__ import annotations

from typing import Any

import orjson

from annotator.domain.formats._fields import (
    optional_id,
    require_label,
    require_object,
    require_offsets,
    require_text,
)
from annotator.domain.records import DocumentRecord, FormatError, SpanRecord

_KNOWN_KEYS = frozenset({"id", "text", "label", "annotators", "title"})


def dump(record: DocumentRecord) -> bytes:
    """One doccano JSONL line for ``record``, ending in a newline."""
    triples = sorted({(s.start, s.end, s.label) for s in record.spans})
    out: dict[str, Any] = {"id": record.uid, "text": record.text, "label": triples}
    annotators = {s.annotator for s in record.spans}
    if len(annotators) > 1:
        out["annotators"] = sorted(annotators)
    return orjson.dumps(out, option=orjson.OPT_APPEND_NEWLINE)


def parse(obj: Any, path: str, line_no: int, default_annotator: str) -> DocumentRecord:
    """A DocumentRecord from one parsed doccano JSON object; FormatError on any bad field."""
    obj = require_object(obj, path, line_no)
    text = require_text(obj, path, line_no)
    uid = optional_id(obj.get("id"), path, line_no, "id")
    labels = obj.get("label", [])
    if labels is None:
        labels = []
    if not isinstance(labels, list):
        raise FormatError(path, line_no, "must be a list of [start, end, label] triples", "label")
    spans: list[SpanRecord] = []
    n = len(text)
    for i, item in enumerate(labels):
        where = f"label[{i}]"
        if not isinstance(item, list) or len(item) != 3:
            raise FormatError(path, line_no, f"must be a [start, end, label] triple, got {item!r}", where)
        start, end = require_offsets(item[0], item[1], n, path, line_no, f"{where}[0]", f"{where}[1]")
        label = require_label(item[2], path, line_no, f"{where}[2]")
        spans.append(SpanRecord(start, end, label, default_annotator))
    title = obj.get("title")
    meta = {k: v for k, v in obj.items() if k not in _KNOWN_KEYS}
    return DocumentRecord(
        uid=uid, text=text, title=title if isinstance(title, str) else "", meta=meta, spans=spans
    )
