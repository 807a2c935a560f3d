"""Annotator's native JSONL: one document per line, spans in code point offsets (DESIGN.md section 5).

    {"id": "doc-1", "title": "...", "text": "...", "meta": {},
     "spans": [{"start": 1, "end": 6, "text": "Putin", "label": "framing", "annotator": "alice", "note": null}],
     "status": [{"annotator": "alice", "state": "done", "guidelines_version": 3}],
     "document_labels": [{"label": "conflict frame", "annotator": "alice"}],
     "comments": [{"annotator": "alice", "text": "Is the headline part of the text?"}]}

On import only `text` is required. Text is stored exactly as given so the offsets stay exact.
``status`` is a list of ``{"annotator", "state"}`` objects, so every line has the same keys with the
same types and per-annotator exports load together as one table (Hugging Face ``datasets``, Arrow);
the first releases wrote an object keyed by annotator name (``{"alice": "done"}``), still read.
``guidelines_version`` is the guideline version in force when that annotator marked the document
done (null when not done, or done before guidelines were versioned); it is not read back.
``document_labels`` are the labels an annotator gave the whole document; ``comments`` holds each
annotator's comment on it (only the comments the exporter may read), keyed by annotator as a list of
``{"annotator", "text"}`` objects for the same reason as ``status`` (an object keyed by name would
give every export its own column types); an object ``{"alice": "..."}`` is read too. Both are
optional on import; files without them (earlier releases) import as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from annotator.domain.display import shown
from annotator.domain.formats.document_labels import (
    native_document_labels,
    parse_comments,
    parse_native_document_labels,
)
from annotator.domain.formats.json_text import json_string_pieces
from annotator.domain.formats.validation import check_offsets, optional_str, require_name, require_text
from annotator.domain.records import STATUSES, DocumentRecord, FormatError, SpanRecord, Status


def parse(obj: Any, path: str, line: int, default_annotator: str | None = None) -> DocumentRecord:
    text = require_text(obj, path, line)
    uid = optional_str(obj, "id", path, line, allow_int=True)
    title = optional_str(obj, "title", path, line) or ""
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise FormatError(path, line, f"must be an object, found {type(meta).__name__}", "meta")
    spans_in = obj.get("spans") or []
    if not isinstance(spans_in, list):
        raise FormatError(path, line, f"must be a list, found {type(spans_in).__name__}", "spans")
    spans = _fast_spans(spans_in, text, default_annotator)
    if spans is None:  # something unusual: span by span, for the message
        spans = [
            _fast_span(raw, text, default_annotator)
            or _parse_span(raw, i, text, path, line, default_annotator)
            for i, raw in enumerate(spans_in)
        ]
    status = _parse_status(obj.get("status"), path, line)
    record = DocumentRecord(uid=uid, text=text, title=title, meta=meta, spans=spans, status=status)
    record.document_labels = parse_native_document_labels(
        obj.get("document_labels"), path, line, default_annotator
    )
    record.comments = parse_comments(obj.get("comments"), path, line)
    return record


def _parse_status(status_in: Any, path: str, line: int) -> dict[str, Status]:
    """``[{"annotator": "alice", "state": "done"}, ...]``, or the first releases' ``{"alice": "done"}``."""
    if not status_in:
        return {}
    if isinstance(status_in, dict):
        pairs = [(name, value, "status", f"status.{name}") for name, value in status_in.items()]
    elif isinstance(status_in, list):
        pairs = []
        for i, item in enumerate(status_in):
            if not isinstance(item, dict):
                raise FormatError(
                    path, line, f"must be an object, found {type(item).__name__}", f"status[{i}]"
                )
            for key in ("annotator", "state"):
                if key not in item:
                    raise FormatError(path, line, "missing", f"status[{i}].{key}")
            pairs.append((item["annotator"], item["state"], f"status[{i}].annotator", f"status[{i}].state"))
    else:
        raise FormatError(path, line, f"must be a list, found {type(status_in).__name__}", "status")
    status: dict[str, Status] = {}
    for name, value, name_field, state_field in pairs:
        if value not in STATUSES:
            raise FormatError(
                path, line, f"must be one of {', '.join(STATUSES)}, found {shown(value)}", state_field
            )
        status[require_name(name, path, line, name_field)] = value
    return status


_checked_names: set[str] = set()  # label and annotator names known to pass _fast_span's test
CHECKED_NAMES_MAX = 4096
_new_tuple = tuple.__new__


def _good_name(name: str) -> bool:
    if not (name.strip() and name.isprintable()):
        return False
    if len(_checked_names) < CHECKED_NAMES_MAX:
        _checked_names.add(name)
    return True


def _fast_spans(spans_in: list[Any], text: str, default_annotator: str | None) -> list[SpanRecord] | None:
    """Every span of a document checked as _fast_span does, in one loop: a 100,000-document import
    reads a million spans, and a call, a NamedTuple constructor and two string scans per span
    were a third of its parsing. None when any span is unusual."""
    length, good, spans = len(text), _checked_names, []
    append = spans.append
    for raw in spans_in:
        if type(raw) is not dict:
            return None
        get = raw.get
        start, end, label, note = get("start"), get("end"), get("label"), get("note")
        annotator = get("annotator", default_annotator)
        if not (
            type(start) is int
            and type(end) is int
            and 0 <= start < end <= length
            and type(label) is str
            and (label in good or _good_name(label))
            and type(annotator) is str
            and (annotator in good or _good_name(annotator))
            and (note is None or type(note) is str)
        ):
            return None
        if "text" in raw and raw["text"] != text[start:end]:
            return None
        append(_new_tuple(SpanRecord, (start, end, label, annotator, note)))
    return spans


def _fast_span(raw: Any, text: str, default_annotator: str | None) -> SpanRecord | None:
    """The common case, a well-formed span, checked inline (imports read 300,000 spans in well
    under a second); anything unusual returns None and goes through _parse_span for its message."""
    if type(raw) is not dict:
        return None
    start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
    annotator, note = raw.get("annotator", default_annotator), raw.get("note")
    if not (
        type(start) is int
        and type(end) is int
        and 0 <= start < end <= len(text)
        and type(label) is str
        and label.strip()
        and label.isprintable()
        and type(annotator) is str
        and annotator.strip()
        and annotator.isprintable()
        and (note is None or type(note) is str)
    ):
        return None
    if "text" in raw and raw["text"] != text[start:end]:
        return None
    return SpanRecord(start, end, label, annotator, note)


def _parse_span(
    raw: Any, index: int, text: str, path: str, line: int, default_annotator: str | None
) -> SpanRecord:
    field = f"spans[{index}]"
    if not isinstance(raw, dict):
        raise FormatError(path, line, f"must be an object, found {type(raw).__name__}", field)
    for key in ("start", "end", "label"):
        if key not in raw:
            raise FormatError(path, line, "missing", f"{field}.{key}")
    start, end = check_offsets(raw["start"], raw["end"], text, path, line, field)
    label = require_name(raw["label"], path, line, f"{field}.label")
    annotator = raw.get("annotator", default_annotator)
    if annotator is None:
        raise FormatError(path, line, "missing (or import with --annotator NAME)", f"{field}.annotator")
    annotator = require_name(annotator, path, line, f"{field}.annotator")
    if "text" in raw and raw["text"] != text[start:end]:
        raise FormatError(
            path,
            line,
            f"is {shown(raw['text'])} but text[{start}:{end}] is {shown(text[start:end])}",
            f"{field}.text",
        )
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise FormatError(
            path, line, f"must be a string or null, found {type(note).__name__}", f"{field}.note"
        )
    return SpanRecord(start, end, label, annotator, note)


SPAN_PIECE = 20_000  # spans serialized at a time


def dump(record: DocumentRecord) -> bytes:
    return b"".join(dump_pieces(record))


def dump_pieces(record: DocumentRecord) -> Iterator[bytes]:
    """The record's line (ending in a newline) in pieces, exactly as ``orjson.dumps`` writes the
    whole object: the text alone, then the spans SPAN_PIECE at a time, so a 20 MB document with
    200,000 spans never holds all its span objects or a second copy of its line."""
    text = record.text
    yield b'{"id":' + orjson.dumps(record.uid) + b',"title":' + orjson.dumps(record.title) + b',"text":'
    yield from json_string_pieces(text)
    yield b',"meta":' + orjson.dumps(record.meta) + b',"spans":['
    spans = record.spans
    for lo in range(0, len(spans), SPAN_PIECE):
        piece = [
            {
                "start": s.start,
                "end": s.end,
                "text": text[s.start : s.end],
                "label": s.label,
                "annotator": s.annotator,
                "note": s.note,
            }
            for s in spans[lo : lo + SPAN_PIECE]
        ]
        yield (b"," if lo else b"") + orjson.dumps(piece)[1:-1]
    rest = {
        "status": [
            {"annotator": name, "state": state, "guidelines_version": record.guidelines.get(name)}
            for name, state in sorted(record.status.items())
        ],
        "document_labels": native_document_labels(record),
        "comments": [{"annotator": name, "text": body} for name, body in sorted(record.comments.items())],
    }
    yield b"]," + orjson.dumps(rest, option=orjson.OPT_APPEND_NEWLINE)[1:]
