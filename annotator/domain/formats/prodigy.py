"""Prodigy / spaCy task JSONL: ``text``, ``tokens``, ``spans``, ``_annotator_id``, ``answer``, ``meta``.

Decisions:
- Tokens come from ``annotator.domain.tokenize`` and follow spaCy's ``Doc(words, spaces)`` contract: each
  token is ``{"text", "start", "end", "id", "ws"}``, ``ws`` means one U+0020 SPACE follows and belongs to the
  token, and any other whitespace (newlines, tabs, runs of spaces, U+2028, a BOM) is a token of its own, so
  the token texts plus their ``ws`` spaces rebuild ``text`` exactly and token ``start``/``end`` are code
  point offsets into it.
- Spans keep their exact character offsets; ``token_start``/``token_end`` (inclusive) are the tokens the
  span touches. A span whose boundary falls inside a token is still written, covering the whole token,
  and reported as a warning (spaCy's ``char_span`` finds it with ``alignment_mode="expand"``, not with
  the default "strict"). A span holding only whitespace has no token and is dropped with a warning.
- Overlapping spans are all kept (load them into ``doc.spans``; ``doc.ents`` cannot hold overlaps).
- One line per annotator, as Prodigy stores one example per annotator session: ``_annotator_id`` is the
  annotator's name and ``answer`` is ``"accept"``. Every annotator with spans or a status on the
  document gets a line, so a document an annotator finished without spans is a negative example of
  theirs (``"spans": []``). A document nobody worked on is one line with ``"_annotator_id": null``
  (the key is always there). Notes are not exported. ``meta`` holds the document's meta (``source``,
  ``lang``, ...), ``id`` (the document uid) and ``title``.
- Document labels: ``accept`` (the choice view's selected option ids), the annotator's document
  label names, sorted; every line has it (``[]`` when none). Read back the same way.
- Reading: ``answer`` ``"accept"`` (or absent) imports the spans and marks the document done for that
  annotator (an accepted answer is a finished document); ``"reject"`` and ``"ignore"`` mean the
  annotator turned the task down or skipped it, so ``parse`` returns None and the caller skips the line.
  Spans are read from their ``start``/``end``; ``token_start``/``token_end`` are not needed and ignored.
  A span ``text``, when present, must equal ``text[start:end]``.
"""

from __future__ import annotations

from itertools import accumulate
from operator import itemgetter
from typing import Any

import orjson

from annotator.domain.formats._fields import (
    optional_id,
    require_label,
    require_object,
    require_offsets,
    require_text,
)
from annotator.domain.formats.document_labels import by_annotator as document_labels_by_annotator
from annotator.domain.formats.document_labels import label_names
from annotator.domain.records import DocumentLabelRecord, DocumentRecord, FormatError, SpanRecord
from annotator.domain.tokenize import align_bounds, token_bounds

_ANSWERS = ("accept", "reject", "ignore")


def _spacy_tokens(text: str) -> tuple[list[dict[str, Any]], list[int], list[int], list[int]]:
    """Task tokens including whitespace tokens, the task index of each word token, and the word
    tokens' starts and ends (``token_bounds``). Built by comprehensions: this is the export's hot loop."""
    starts, ends = token_bounds(text)
    ws = [text[e : e + 1] == " " for e in ends]
    # Where the whitespace before each word token starts (the space a token owns is not a gap).
    gap_from = [0, *[e + 1 if w else e for e, w in zip(ends, ws, strict=True)]]
    gaps = [i for i, (g, s) in enumerate(zip(gap_from, starts, strict=False)) if g < s]
    if gaps:
        step = [0] * len(starts)
        for i in gaps:
            step[i] = 1
        ids = [i + before for i, before in enumerate(accumulate(step))]
    else:
        ids = list(range(len(starts)))
    out = [
        {"text": text[s:e], "start": s, "end": e, "id": i, "ws": w}
        for s, e, i, w in zip(starts, ends, ids, ws, strict=True)
    ]
    if gaps:
        out += [
            {
                "text": text[gap_from[i] : starts[i]],
                "start": gap_from[i],
                "end": starts[i],
                "id": ids[i] - 1,
                "ws": False,
            }
            for i in gaps
        ]
        out.sort(key=_by_id)  # (two sorted runs: a merge)
    if gap_from[-1] < len(text):
        out.append(
            {
                "text": text[gap_from[-1] :],
                "start": gap_from[-1],
                "end": len(text),
                "id": len(out),
                "ws": False,
            }
        )
    return out, ids, starts, ends


_by_id = itemgetter("id")


def _doc_name(record: DocumentRecord) -> str:
    return f"document {record.uid!r}" if record.uid is not None else f"document {record.title!r}"


def dump_with_warnings(record: DocumentRecord) -> tuple[bytes, list[str]]:
    """Prodigy JSONL lines (one per annotator, each ending in a newline) and warnings for odd spans."""
    text = record.text
    tokens, index, starts, ends = _spacy_tokens(text)
    meta: dict[str, Any] = {**record.meta, "id": record.uid}
    if record.title:
        meta["title"] = record.title
    warnings: list[str] = []
    by_annotator: dict[str | None, list[dict[str, Any]]] = {}
    for span in sorted(record.spans, key=lambda s: (s.annotator, s.start, s.end, s.label)):
        spans = by_annotator.setdefault(span.annotator, [])
        where = align_bounds(starts, ends, span.start, span.end)
        quoted = f"[{span.start}, {span.end}) {span.label!r} {text[span.start : span.end]!r}"
        if where is None:
            warnings.append(
                f"{_doc_name(record)}: span {quoted} of {span.annotator!r} covers no token; dropped"
            )
            continue
        first, last = where
        if starts[first] != span.start or ends[last] != span.end:
            warnings.append(
                f"{_doc_name(record)}: span {quoted} of {span.annotator!r} does not fall on token boundaries;"
                f" its tokens are {text[starts[first] : ends[first]]!r}..{text[starts[last] : ends[last]]!r}"
            )
        spans.append(
            {
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "token_start": index[first],
                "token_end": index[last],
            }
        )
    for name in record.status:
        by_annotator.setdefault(name, [])
    accepted = document_labels_by_annotator(record)
    for name in accepted:
        by_annotator.setdefault(name, [])
    if not by_annotator:
        by_annotator[None] = []
    lines: list[bytes] = []
    for annotator in sorted(by_annotator, key=lambda a: (a is None, a or "")):
        task: dict[str, Any] = {"text": text, "tokens": tokens, "spans": by_annotator[annotator]}
        task["_annotator_id"] = annotator
        task["answer"] = "accept"
        task["accept"] = accepted.get(annotator, []) if annotator is not None else []
        task["meta"] = meta
        lines.append(orjson.dumps(task, option=orjson.OPT_APPEND_NEWLINE))
    return b"".join(lines), warnings


def dump(record: DocumentRecord) -> bytes:
    """Prodigy JSONL lines for ``record``; use ``dump_with_warnings`` to see misaligned spans."""
    return dump_with_warnings(record)[0]


def parse(obj: Any, path: str, line_no: int, default_annotator: str) -> DocumentRecord | None:
    """A DocumentRecord from one Prodigy task, or None for a rejected or ignored task."""
    obj = require_object(obj, path, line_no)
    text = require_text(obj, path, line_no)
    answer = obj.get("answer", "accept")
    if answer not in _ANSWERS:
        raise FormatError(path, line_no, f"must be one of {', '.join(_ANSWERS)}, got {answer!r}", "answer")
    if answer != "accept":
        return None
    annotator = default_annotator
    if obj.get("_annotator_id") is not None:
        annotator = require_label(obj["_annotator_id"], path, line_no, "_annotator_id")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise FormatError(path, line_no, "must be an object", "meta")
    uid = optional_id(meta.get("id"), path, line_no, "meta.id")
    title = meta.get("title")
    raw_spans = obj.get("spans") or []
    if not isinstance(raw_spans, list):
        raise FormatError(path, line_no, "must be a list of span objects", "spans")
    spans: list[SpanRecord] = []
    for i, item in enumerate(raw_spans):
        where = f"spans[{i}]"
        if not isinstance(item, dict):
            raise FormatError(path, line_no, f"must be an object, got {item!r}", where)
        for key in ("start", "end", "label"):
            if key not in item:
                raise FormatError(path, line_no, "missing", f"{where}.{key}")
        start, end = require_offsets(
            item["start"], item["end"], len(text), path, line_no, f"{where}.start", f"{where}.end"
        )
        label = require_label(item["label"], path, line_no, f"{where}.label")
        if "text" in item and item["text"] != text[start:end]:
            raise FormatError(
                path,
                line_no,
                f"{item['text']!r} is not text[{start}:{end}] {text[start:end]!r}",
                f"{where}.text",
            )
        spans.append(SpanRecord(start, end, label, annotator))
    return DocumentRecord(
        uid=uid,
        text=text,
        title=title if isinstance(title, str) else "",
        meta={k: v for k, v in meta.items() if k not in ("id", "title")},
        spans=spans,
        status={annotator: "done"} if annotator is not None else {},
        document_labels=[
            DocumentLabelRecord(name, annotator)
            for name in dict.fromkeys(label_names(obj.get("accept"), path, line_no, "accept"))
        ],
    )
