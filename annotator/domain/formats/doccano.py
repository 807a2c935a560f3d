"""doccano sequence-labelling JSONL: ``{"id": ..., "text": ..., "label": [[start, end, "label"], ...]}``.

Decisions:
- Offsets: doccano's front end measures text with JavaScript's ``String.length`` (its annotator
  component, doccano/v-annotator ``Text.ts``, sums ``grapheme.length``), so the offsets it stores and
  exports count UTF-16 code units (an emoji or an astral letter counts two). Export and
  import default to ``utf16``; ``codepoints`` (Python's ``text[start:end]``) is the option for files
  written by scripts. Text without characters outside the BMP is the same either way.
- Labels are written unchanged (doccano accepts any string, spaces included).
- doccano's span shape has no annotator and no note: notes are not exported. The service filters to one
  annotator (or the gold layer) per file; every line carries an ``"annotators"`` list (the sorted names
  of its spans' annotators, possibly empty), so every line of one export has the same keys (doccano's
  importer reads the file as a table and fills a missing key with NaN, which its database refuses).
  Identical ``[start, end, label]`` triples from different annotators are written once.
- Document labels are written as ``cats`` (doccano's category field), the sorted names, and read
  back from it as the ``default_annotator``'s document labels.
- Spans are sorted by (start, end, label). ``id`` is the document uid (``null`` when it has none).
- Reading, the shapes doccano has written: ``label`` (1.2+) or ``labels`` (1.x) as ``[start, end,
  "label"]`` triples; ``entities`` (the export of projects with relations) as objects with
  ``start_offset``/``end_offset``/``label``; ``annotations`` (1.0) as objects with
  ``start_offset``/``end_offset``/``label``. A label given as a number is a label id that only the
  doccano database could name: refused, naming the field. ``id`` may be a string or an integer;
  every span is attributed to ``default_annotator`` (the file carries no annotator). A string ``title``
  becomes the title; other keys (``relations``, ``Comments``, ...) go to ``meta``.
"""

from __future__ import annotations

from typing import Any

import orjson

from annotator.domain.formats._fields import optional_id, require_label, require_object, require_text
from annotator.domain.formats.document_labels import label_names
from annotator.domain.formats.offsets import OffsetUnit, astral_positions, read_offsets, to_utf16
from annotator.domain.records import DocumentLabelRecord, DocumentRecord, FormatError, SpanRecord

SPAN_KEYS = ("label", "labels", "entities", "annotations")
_KNOWN_KEYS = frozenset({"id", "text", "annotators", "title", "cats", *SPAN_KEYS})


def dump(record: DocumentRecord, offsets: OffsetUnit = "utf16") -> bytes:
    """One doccano JSONL line for ``record``, ending in a newline."""
    triples = sorted({(s.start, s.end, s.label) for s in record.spans})
    if offsets == "utf16":
        astral = astral_positions(record.text)
        if astral:
            triples = [(to_utf16(s, astral), to_utf16(e, astral), label) for s, e, label in triples]
    out: dict[str, Any] = {
        "id": record.uid,
        "text": record.text,
        "label": triples,
        "annotators": sorted({s.annotator for s in record.spans}),
        "cats": sorted({d.label for d in record.document_labels}),
    }
    return orjson.dumps(out, option=orjson.OPT_APPEND_NEWLINE)


def _raw_spans(obj: dict[str, Any], path: str, line_no: int) -> tuple[str, list[tuple[Any, Any, Any, str]]]:
    """(field name, [(start, end, label, where), ...]) from whichever span field the record has."""
    present = [key for key in SPAN_KEYS if obj.get(key) is not None]
    if len(present) > 1:
        raise FormatError(
            path, line_no, f"the record has both '{present[0]}' and '{present[1]}'; which spans are meant?"
        )
    if not present:
        return "label", []
    key = present[0]
    items = obj[key]
    if not isinstance(items, list):
        raise FormatError(path, line_no, f"must be a list of spans, got {type(items).__name__}", key)
    out: list[tuple[Any, Any, Any, str]] = []
    for i, item in enumerate(items):
        where = f"{key}[{i}]"
        if key in ("label", "labels"):
            if not isinstance(item, list) or len(item) != 3:
                raise FormatError(path, line_no, f"must be a [start, end, label] triple, got {item!r}", where)
            out.append((item[0], item[1], item[2], where))
            continue
        if not isinstance(item, dict):
            raise FormatError(path, line_no, f"must be an object, got {item!r}", where)
        for name in ("start_offset", "end_offset", "label"):
            if name not in item:
                raise FormatError(path, line_no, "missing", f"{where}.{name}")
        out.append((item["start_offset"], item["end_offset"], item["label"], where))
    return key, out


def parse(
    obj: Any, path: str, line_no: int, default_annotator: str, offsets: OffsetUnit = "utf16"
) -> DocumentRecord:
    """A DocumentRecord from one parsed doccano JSON object; FormatError on any bad field."""
    obj = require_object(obj, path, line_no)
    text = require_text(obj, path, line_no)
    uid = optional_id(obj.get("id"), path, line_no, "id")
    key, raw = _raw_spans(obj, path, line_no)
    astral = astral_positions(text) if raw else []
    spans: list[SpanRecord] = []
    triple = key in ("label", "labels")
    for start, end, label, where in raw:
        start_field, end_field, label_field = (
            (f"{where}[0]", f"{where}[1]", f"{where}[2]")
            if triple
            else (f"{where}.start_offset", f"{where}.end_offset", f"{where}.label")
        )
        if isinstance(label, int) and not isinstance(label, bool):
            raise FormatError(
                path,
                line_no,
                f"is a label id ({label}), not a label name; only that doccano project knows its name: "
                "export the project again from doccano (its JSONL export names labels)",
                label_field,
            )
        start, end = read_offsets(start, end, text, astral, offsets, path, line_no, start_field, end_field)
        spans.append(
            SpanRecord(start, end, require_label(label, path, line_no, label_field), default_annotator)
        )
    title = obj.get("title")
    meta = {k: v for k, v in obj.items() if k not in _KNOWN_KEYS}
    record = DocumentRecord(
        uid=uid, text=text, title=title if isinstance(title, str) else "", meta=meta, spans=spans
    )
    cats = label_names(obj.get("cats"), path, line_no, "cats")
    record.document_labels = [DocumentLabelRecord(name, default_annotator) for name in dict.fromkeys(cats)]
    return record
