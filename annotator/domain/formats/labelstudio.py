"""Label Studio: its JSON export and JSON-MIN export read, its task JSON (with annotations) written.

JSON export (what ``parse_file`` reads, and ``dump_task`` writes)::

    [{"id": 7, "data": {"text": "..."}, "meta": {},
      "annotations": [{"completed_by": 1, "was_cancelled": false,
                       "result": [{"from_name": "label", "to_name": "text", "type": "labels",
                                   "value": {"start": 0, "end": 5, "text": "Putin", "labels": ["framing"]}}]}]}]

JSON-MIN: ``[{"id": 7, "text": "...", "label": [{"start", "end", "text", "labels"}], "annotator": 1}]``,
the spans under the labels tag's name (``label`` by default).

Decisions:
- Offsets: Label Studio's front end stores code point offsets for text (it converts the browser's
  UTF-16 positions since label-studio-frontend#308, 2022; its end-to-end test ``ner/emoji.cy.ts``
  expects ``start: 21`` after emoji, in code points), so ``codepoints`` is the default both
  ways; ``--offsets utf16`` reads and writes files from older versions. A span's ``value.text`` is
  checked against the text at its offsets; when it fits only counted the other way the message
  names the option. A region with several labels is one span per label.
- Annotators: ``completed_by`` (an integer user id becomes ``user-ID``; an object gives its
  ``email``, else ``username``, else ``user-ID``), JSON-MIN's ``annotator``; else ``--annotator``.
  A submitted annotation is a finished document for its annotator (status ``done``); a cancelled
  (skipped) one and ``predictions`` are not imported. ``choices`` results are document labels
  (every choice, whatever the control); other results that are not text spans (``relation``,
  ``textarea`` ...) are not imported. A region note (``meta.text``)
  becomes the span note and back.
- Documents: the text is ``data.text`` (or the only string in ``data``); the uid is ``data.id``, else
  the task ``id``; ``data.title`` is the title; the task ``meta`` becomes the document meta.
- Writing: one task per document, one annotation per annotator with spans or a status, and a
  labeling config (``labeling_config``) to create the project with. Document labels are one
  ``choices`` result per label set, from the ``<Choices>`` control of that set (``choices_name``),
  single or multiple as the set is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from annotator.domain.formats.document_labels import label_names
from annotator.domain.formats.json_text import json_string_pieces
from annotator.domain.formats.offsets import (
    OffsetUnit,
    astral_positions,
    check_span_text,
    read_offsets,
    to_utf16,
)
from annotator.domain.records import DocumentLabelRecord, DocumentRecord, FormatError, SpanRecord, Status

FROM_NAME, TO_NAME = "label", "text"
_JSON_LIST = re.compile(rb"(?:\xef\xbb\xbf)?\s*\[")  # anchored: reads only the leading whitespace
_MIN_KEYS = frozenset({"id", "text", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"})


def looks_like_labelstudio(data: bytes) -> bool:
    """A JSON array file (Label Studio exports one array; JSONL formats are objects per line)."""
    return _JSON_LIST.match(data) is not None


def parse_file(
    data: bytes, path: str, default_annotator: str | None, offsets: OffsetUnit = "codepoints"
) -> Iterator[DocumentRecord]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        tasks = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FormatError(path, None, f"invalid JSON ({exc})") from None
    if not isinstance(tasks, list):
        raise FormatError(path, None, f"expected a JSON list of tasks, found {type(tasks).__name__}")
    for i, task in enumerate(tasks):
        where = f"[{i}]"
        if not isinstance(task, dict):
            raise FormatError(path, None, f"must be a task object, found {type(task).__name__}", where)
        if isinstance(task.get("data"), dict):
            yield _parse_full(task, where, path, default_annotator, offsets)
        elif "text" in task:
            yield _parse_min(task, where, path, default_annotator, offsets)
        else:
            raise FormatError(path, None, "a task needs 'data' (JSON export) or 'text' (JSON-MIN)", where)


def _text_of(data: dict[str, Any], where: str, path: str) -> tuple[str, str]:
    if isinstance(data.get("text"), str):
        return "text", data["text"]
    strings = [k for k, v in data.items() if isinstance(v, str) and k not in ("id", "title")]
    if len(strings) != 1:
        raise FormatError(path, None, "missing (the task's text)", f"{where}.data.text")
    return strings[0], data[strings[0]]


def _uid(value: Any, fallback: Any) -> str | None:
    for v in (value, fallback):
        if isinstance(v, str) and v:
            return v
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
    return None


def _annotator(value: Any, default: str | None) -> str | None:
    if isinstance(value, dict):
        for key in ("email", "username"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key]
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"user-{value}"
    if isinstance(value, str) and value.strip():
        return value
    return default


def _parse_full(
    task: dict[str, Any], where: str, path: str, default: str | None, offsets: OffsetUnit
) -> DocumentRecord:
    data = task["data"]
    _, text = _text_of(data, where, path)
    if not text:
        raise FormatError(path, None, "is empty", f"{where}.data.text")
    astral = astral_positions(text)
    key = "annotations" if "annotations" in task else "completions"
    annotations = task.get(key) or []
    if not isinstance(annotations, list):
        raise FormatError(path, None, "must be a list", f"{where}.{key}")
    spans: list[SpanRecord] = []
    status: dict[str, Status] = {}
    document_labels: list[DocumentLabelRecord] = []
    for a, annotation in enumerate(annotations):
        at = f"{where}.{key}[{a}]"
        if not isinstance(annotation, dict):
            raise FormatError(path, None, "must be an object", at)
        if annotation.get("was_cancelled"):
            continue
        name = _annotator(annotation.get("completed_by"), default)
        results = annotation.get("result") or []
        if not isinstance(results, list):
            raise FormatError(path, None, "must be a list", f"{at}.result")
        found = _spans(results, f"{at}.result", text, astral, offsets, path, name)
        if name is None:
            if found:
                raise FormatError(
                    path,
                    None,
                    "missing: whose annotation is it? (or import with --annotator NAME)",
                    f"{at}.completed_by",
                )
            continue
        spans.extend(found)
        status[name] = "done"
        document_labels.extend(_choices(results, f"{at}.result", path, name))
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    title = data.get("title")
    return DocumentRecord(
        uid=_uid(data.get("id"), task.get("id")),
        text=text,
        title=title if isinstance(title, str) else "",
        meta=dict(meta or {}),
        spans=spans,
        status=status,
        document_labels=document_labels,
    )


def choices_name(label_set: str) -> str:
    """The name of a label set's ``<Choices>`` control (a plain identifier)."""
    return "doc_" + (re.sub(r"\W+", "_", label_set).strip("_") or "labels")


def _choices(results: list[Any], where: str, path: str, annotator: str) -> list[DocumentLabelRecord]:
    out: list[DocumentLabelRecord] = []
    for r, result in enumerate(results):
        if not isinstance(result, dict) or result.get("type") != "choices":
            continue
        value = result.get("value")
        if not isinstance(value, dict):
            raise FormatError(path, None, "must be an object", f"{where}[{r}].value")
        for name in label_names(value.get("choices"), path, None, f"{where}[{r}].value.choices"):
            out.append(DocumentLabelRecord(name, annotator))
    return list(dict.fromkeys(out))


def _parse_min(
    task: dict[str, Any], where: str, path: str, default: str | None, offsets: OffsetUnit
) -> DocumentRecord:
    text = task["text"]
    if not isinstance(text, str) or not text:
        raise FormatError(path, None, "must be a non-empty string", f"{where}.text")
    astral = astral_positions(text)
    name = _annotator(task.get("annotator"), default)
    spans: list[SpanRecord] = []
    for key, regions in task.items():
        if key in _MIN_KEYS or not isinstance(regions, list):
            continue
        if not all(isinstance(r, dict) and "labels" in r for r in regions):
            continue
        results = [{"value": r} for r in regions]
        spans.extend(_spans(results, f"{where}.{key}", text, astral, offsets, path, name, plain=True))
    if spans and name is None:
        raise FormatError(path, None, "missing (or import with --annotator NAME)", f"{where}.annotator")
    return DocumentRecord(
        uid=_uid(task.get("id"), None),
        text=text,
        spans=spans,
        status={name: "done"} if name is not None else {},
    )


def _spans(
    results: list[Any],
    where: str,
    text: str,
    astral: list[int],
    offsets: OffsetUnit,
    path: str,
    annotator: str | None,
    *,
    plain: bool = False,
) -> list[SpanRecord]:
    out: list[SpanRecord] = []
    for r, result in enumerate(results):
        at = f"{where}[{r}]"
        if not isinstance(result, dict):
            raise FormatError(path, None, "must be an object", at)
        value = result.get("value")
        if not isinstance(value, dict) or "labels" not in value:
            continue  # choices, relations, text areas, ratings: not spans
        vat = at if plain else f"{at}.value"
        for key in ("start", "end"):
            if key not in value:
                raise FormatError(path, None, "missing", f"{vat}.{key}")
        labels = value["labels"]
        if not isinstance(labels, list) or not labels:
            raise FormatError(path, None, "must be a non-empty list of label names", f"{vat}.labels")
        raw = (value["start"], value["end"])
        start, end = read_offsets(*raw, text, astral, offsets, path, None, f"{vat}.start", f"{vat}.end")
        if "text" in value:
            check_span_text(value["text"], start, end, raw, text, astral, offsets, path, None, f"{vat}.text")
        note = _note(result.get("meta"))
        for j, label in enumerate(labels):
            if not isinstance(label, str) or not label.strip():
                raise FormatError(path, None, f"must be a label name, got {label!r}", f"{vat}.labels[{j}]")
            out.append(SpanRecord(start, end, label, annotator, note))  # type: ignore[arg-type]
    return out


def _note(meta: Any) -> str | None:
    if isinstance(meta, dict) and isinstance(meta.get("text"), list):
        parts = [t for t in meta["text"] if isinstance(t, str)]
        return "\n".join(parts) or None
    return None


SPAN_PIECE = 20_000  # results serialized at a time


def dump_task(record: DocumentRecord, offsets: OffsetUnit = "codepoints", task_id: int = 1) -> bytes:
    """One Label Studio task (a JSON object, no separator) with an annotation per annotator.
    ``task_id`` numbers the tasks as Label Studio's own export does (its converters need it; Label
    Studio gives imported tasks ids of its own)."""
    return b"".join(dump_task_pieces(record, offsets, task_id))


def dump_task_pieces(
    record: DocumentRecord, offsets: OffsetUnit = "codepoints", task_id: int = 1
) -> Iterator[bytes]:
    """``dump_task`` in pieces, exactly as ``orjson.dumps`` writes the whole task: the text alone,
    then each annotation's results SPAN_PIECE at a time, so a 20 MB document with 200,000 spans
    never holds a result dict per span (353 MB of peak memory did)."""
    text = record.text
    astral = astral_positions(text) if offsets == "utf16" else []
    spans = record.spans
    rows_of: dict[str, list[int]] = {name: [] for name in sorted(record.status)}  # annotator -> span rows
    for n, span in enumerate(spans):
        rows_of.setdefault(span.annotator, []).append(n)
    choices = _choice_results(record)
    for name in choices:
        rows_of.setdefault(name, [])
    yield b'{"id":' + orjson.dumps(task_id) + b',"data":{"text":'
    yield from json_string_pieces(text)
    yield (
        b',"id":' + orjson.dumps(record.uid) + b',"title":' + orjson.dumps(record.title)
        + b'},"meta":' + orjson.dumps(record.meta) + b',"annotations":['
    )  # fmt: skip
    for i, name in enumerate(sorted(rows_of)):
        yield (
            (b"," if i else b"") + b'{"completed_by":' + orjson.dumps({"email": name})
            + b',"was_cancelled":false,"ground_truth":false,"result":['
        )  # fmt: skip
        rows = rows_of[name]
        for lo in range(0, len(rows), SPAN_PIECE):
            piece = [_span_result(n, spans[n], text, astral) for n in rows[lo : lo + SPAN_PIECE]]
            yield (b"," if lo else b"") + orjson.dumps(piece)[1:-1]
        if choices.get(name):
            yield (b"," if rows else b"") + orjson.dumps(choices[name])[1:-1]
        yield b"]}"
    yield b"]}"


def _span_result(n: int, span: SpanRecord, text: str, astral: list[int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": f"s{n}",
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "origin": "manual",
        "value": {
            "start": to_utf16(span.start, astral),
            "end": to_utf16(span.end, astral),
            "text": text[span.start : span.end],
            "labels": [span.label],
        },
    }
    if span.note:
        result["meta"] = {"text": [span.note]}
    return result


def _choice_results(record: DocumentRecord) -> dict[str, list[dict[str, Any]]]:
    """Per annotator, one ``choices`` result per label set holding their document labels."""
    sets: dict[tuple[str, str], list[str]] = {}
    for item in record.document_labels:
        sets.setdefault((item.annotator, item.label_set), []).append(item.label)
    out: dict[str, list[dict[str, Any]]] = {}
    for (annotator, label_set), names in sorted(sets.items()):
        out.setdefault(annotator, []).append(
            {
                "id": f"c{len(out[annotator])}",
                "from_name": choices_name(label_set),
                "to_name": TO_NAME,
                "type": "choices",
                "origin": "manual",
                "value": {"choices": sorted(names)},
            }
        )
    return out


_XML_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)


def quoteattr(value: str) -> str:
    """An XML attribute value in double quotes (xml.sax.saxutils costs 40 ms of start-up: urllib)."""
    return '"' + value.translate(_XML_ATTR) + '"'


def labeling_config(
    labels: list[tuple[str, str]], document_sets: list[tuple[str, bool, list[str]]] | None = None
) -> str:
    """The project's labeling config: a Labels tag with every (name, colour), over the Text, and a
    Choices tag per set of document labels (set name, multiple, label names)."""
    items = "".join(f"    <Label value={quoteattr(n)} background={quoteattr(c)}/>\n" for n, c in labels)
    choices = ""
    for label_set, multiple, names in document_sets or []:
        options = "".join(f"    <Choice value={quoteattr(n)}/>\n" for n in names)
        choices += (
            f'  <Choices name="{choices_name(label_set)}" toName="{TO_NAME}" '
            f'choice="{"multiple" if multiple else "single"}" showInline="true">\n{options}  </Choices>\n'
        )
    return (
        "<View>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{items}  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        f"{choices}"
        "</View>\n"
    )
