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

import tempfile
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, BinaryIO

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
from annotator.domain.formats.json_text import json_string_pieces

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

from annotator.domain.records import DocumentLabelRecord, DocumentRecord, FormatError, SpanRecord
from annotator.domain.token_runs import code_points
from annotator.domain.tokenize import token_arrays

_ANSWERS = ("accept", "reject", "ignore")


TOKEN_WINDOW = 20_000  # task tokens made and serialized at a time
SPOOL_READ = 1 << 20
SPAN_PIECE = 20_000  # spans serialized at a time


class _Tokens:
    """A text's task tokens (word tokens and the whitespace tokens between them), serialized a window
    at a time: a 20 MB document has 3 million, which as dicts took 2 GB. Word token ``i`` gets id
    ``i`` plus the number of whitespace tokens before it. Which word tokens own a following space
    and which have a whitespace token before them is worked out by array operations, a window of
    TOKEN_WINDOW tokens at a time."""

    def __init__(self, text: str) -> None:
        import numpy as np  # (imported by the exports that need it: not on start-up)

        self.text = text
        self.starts, self.ends = token_arrays(text)  # (4-byte offsets but for a text of 2**31 characters)
        count = len(self.starts)
        self.ws = np.zeros(count, bool)  # a U+0020 SPACE follows the token and belongs to it
        gap = np.zeros(count, bool)  # a whitespace token comes before the token
        for lo in range(0, count, TOKEN_WINDOW):
            hi = min(count, lo + TOKEN_WINDOW)
            self.ws[lo:hi] = self._space_after(lo, hi)
            gap[lo:hi] = self._gap_from(lo, hi) < self.starts[lo:hi]
        self.ids = np.cumsum(gap, dtype=self.starts.dtype)
        del gap
        self.ids += np.arange(count, dtype=self.starts.dtype)
        # (the bounds with one dummy token when there is none, for lookups that are then ignored)
        self.starts_or_0 = self.starts if count else np.zeros(1, np.int64)
        self.ends_or_0 = self.ends if count else np.zeros(1, np.int64)
        self.gaps = count and int(self.ids[-1]) - (count - 1)  # whitespace tokens between word tokens
        last_end = int(self.ends[-1]) if count else 0
        self.trailing = last_end + 1 if count and self.ws[-1] else last_end
        self._single: bytes | None = None
        self._spool: BinaryIO | None = None  # the serialized tokens of a large text, after the first line
        if count <= TOKEN_WINDOW:  # the usual case: made once, kept serialized for every annotator
            self._single = b"".join(self._json([self._window(0, count)]))

    def _space_after(self, lo: int, hi: int) -> npt.NDArray[np.bool_]:
        """Whether a U+0020 SPACE follows each of word tokens lo..hi-1."""
        import numpy as np  # (imported by the exports that need it: not on start-up)

        first, ends = int(self.starts[lo]), self.ends[lo:hi]
        codes = code_points(self.text[first : int(ends[-1]) + 1])
        after = ends - first
        inside = after < len(codes)  # (a token at the end of the text has nothing after it)
        ws = np.zeros(len(after), bool)
        ws[inside] = codes[after[inside]] == 32
        return ws

    def _gap_from(self, lo: int, hi: int) -> npt.NDArray[np.int64]:
        """Where the whitespace before each of word tokens lo..hi-1 starts (the space a token owns is
        not a gap); ``ws`` must be known up to hi-1."""
        import numpy as np  # (imported by the exports that need it: not on start-up)

        gap_from = np.empty(hi - lo, np.int64)
        if hi <= lo:
            return gap_from
        gap_from[1:] = self.ends[lo : hi - 1] + self.ws[lo : hi - 1]
        gap_from[0] = int(self.ends[lo - 1]) + int(self.ws[lo - 1]) if lo else 0
        return gap_from

    def id_of(self, i: int) -> int:
        return int(self.ids[i])

    def json(self) -> Iterator[bytes]:
        """The tokens as a JSON array, in pieces: exactly ``orjson.dumps`` of the list of dicts. Made
        once and reused for every annotator's line: in memory, or for a large text in a temporary
        file (its 3 million tokens are 180 MB of JSON; making them again per line took 3x as long)."""
        if self._single is not None:
            yield self._single
            return
        if self._spool is not None:
            self._spool.seek(0)
            yield from iter(partial(self._spool.read, SPOOL_READ), b"")
            return
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), after the last line)
        count = len(self.starts)
        windows = (self._window(lo, min(count, lo + TOKEN_WINDOW)) for lo in range(0, count, TOKEN_WINDOW))
        for piece in self._json(windows):
            spool.write(piece)
            yield piece
        self._spool = spool

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def _json(self, windows: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
        text, count = self.text, len(self.starts)
        yield b"["
        comma = b""
        for tokens in windows:
            if tokens:
                yield comma + orjson.dumps(tokens)[1:-1]
                comma = b","
        if self.trailing < len(text):
            tail = {
                "text": text[self.trailing :],
                "start": self.trailing,
                "end": len(text),
                "id": count + self.gaps,
                "ws": False,
            }
            yield comma + orjson.dumps(tail)
        yield b"]"

    def _window(self, lo: int, hi: int) -> list[dict[str, Any]]:
        """Task tokens of word tokens lo..hi-1 with the whitespace tokens before them, in id order.
        The dicts are made by one comprehension: the export's hot loop."""
        import numpy as np  # (imported by the exports that need it: not on start-up)

        text = self.text
        starts, ends, ids, ws = self.starts[lo:hi], self.ends[lo:hi], self.ids[lo:hi], self.ws[lo:hi]
        gap_from = self._gap_from(lo, hi)
        gap = gap_from < starts
        if gap.any():  # whitespace tokens interleaved: gap token k goes just before word token k
            where = np.flatnonzero(gap)
            starts = np.insert(starts, where, gap_from[where])
            ends = np.insert(ends, where, self.starts[lo:hi][where])
            ids = np.insert(ids, where, ids[where] - 1)
            ws = np.insert(ws, where, False)
        return [
            {"text": text[s:e], "start": s, "end": e, "id": i, "ws": w}
            for s, e, i, w in zip(starts.tolist(), ends.tolist(), ids.tolist(), ws.tolist(), strict=True)
        ]


def _doc_name(record: DocumentRecord) -> str:
    return f"document {record.uid!r}" if record.uid is not None else f"document {record.title!r}"


def _quoted(text: str, span: SpanRecord) -> str:
    return f"[{span.start}, {span.end}) {span.label!r} {text[span.start : span.end]!r}"


def dump_with_warnings(record: DocumentRecord) -> tuple[bytes, list[str]]:
    """Prodigy JSONL lines (one per annotator, each ending in a newline) and warnings for odd spans."""
    pieces, warnings = dump_pieces(record)
    return b"".join(pieces), warnings


def dump_pieces(record: DocumentRecord) -> tuple[Iterator[bytes], list[str]]:
    """``dump_with_warnings`` in pieces made as they are iterated (the tokens a window at a time),
    and the warnings (known before the first piece)."""

    text = record.text
    tokens = _Tokens(text)
    starts, ends = tokens.starts, tokens.ends
    meta: dict[str, Any] = {**record.meta, "id": record.uid}
    if record.title:
        meta["title"] = record.title
    warnings: list[str] = []
    by_annotator: dict[str | None, list[tuple[int, int, str, int, int]]] = {}
    ordered = sorted(record.spans, key=lambda s: (s.annotator, s.start, s.end, s.label))
    for span, f, la, ok, start_id, end_id, is_covered in _placed(tokens, ordered):
        spans = by_annotator.setdefault(span.annotator, [])
        if not is_covered:
            warnings.append(
                f"{_doc_name(record)}: span {_quoted(text, span)} of {span.annotator!r} covers no token; dropped"
            )
            continue
        if not ok:
            warnings.append(
                f"{_doc_name(record)}: span {_quoted(text, span)} of {span.annotator!r} does not fall on token"
                f" boundaries; its tokens are {text[starts[f] : ends[f]]!r}..{text[starts[la] : ends[la]]!r}"
            )
        spans.append((span.start, span.end, span.label, start_id, end_id))
    for name in record.status:
        by_annotator.setdefault(name, [])
    accepted = document_labels_by_annotator(record)
    for name in accepted:
        by_annotator.setdefault(name, [])
    if not by_annotator:
        by_annotator[None] = []
    tasks = [
        (
            by_annotator[annotator],
            {
                "_annotator_id": annotator,
                "answer": "accept",
                "accept": accepted.get(annotator, []) if annotator is not None else [],
                "meta": meta,
            },
        )
        for annotator in sorted(by_annotator, key=lambda a: (a is None, a or ""))
    ]
    return _lines(text, tokens, tasks), warnings


def _placed(
    tokens: _Tokens, ordered: list[SpanRecord]
) -> Iterator[tuple[SpanRecord, int, int, bool, int, int, bool]]:
    """Each span with its first and last token (indices, ids), whether it falls on their bounds and
    whether it covers any token; worked out SPAN_PIECE spans at a time."""
    import numpy as np

    starts, ends, count = tokens.starts, tokens.ends, len(tokens.starts)
    for lo in range(0, len(ordered), SPAN_PIECE):
        piece = ordered[lo : lo + SPAN_PIECE]
        span_starts = np.fromiter((s.start for s in piece), np.int64, len(piece))
        span_ends = np.fromiter((s.end for s in piece), np.int64, len(piece))
        first = np.searchsorted(ends, span_starts, "right")  # the first token ending after start
        last = np.searchsorted(starts, span_ends, "left") - 1  # the last token starting before end
        covered = first <= last
        if not count:  # (no token at all: every span covers none)
            first = last = np.zeros(len(piece), np.int64)
            token_ids = np.zeros(1, np.int64)
        else:
            first, last = np.minimum(first, count - 1), np.maximum(last, 0)  # (in range below)
            token_ids = tokens.ids
        aligned = ~covered | (
            (tokens.starts_or_0[first] == span_starts) & (tokens.ends_or_0[last] == span_ends)
        )
        yield from zip(
            piece,
            first.tolist(),
            last.tolist(),
            aligned.tolist(),
            token_ids[first].tolist(),
            token_ids[last].tolist(),
            covered.tolist(),
            strict=True,
        )


def _lines(
    text: str, tokens: _Tokens, tasks: list[tuple[list[tuple[int, int, str, int, int]], dict[str, Any]]]
) -> Iterator[bytes]:
    """One line per task: ``{"text": ..., "tokens": [...], "spans": [...], **rest}``, written as orjson
    writes it, with the tokens and the spans (SPAN_PIECE at a time) streamed in between."""
    try:
        for spans, rest in tasks:
            yield b'{"text":'
            yield from json_string_pieces(text)
            yield b',"tokens":'
            yield from tokens.json()
            yield b',"spans":['
            for lo in range(0, len(spans), SPAN_PIECE):
                piece = [
                    {"start": s, "end": e, "label": label, "token_start": first, "token_end": last}
                    for s, e, label, first, last in spans[lo : lo + SPAN_PIECE]
                ]
                yield (b"," if lo else b"") + orjson.dumps(piece)[1:-1]
            yield b"]," + orjson.dumps(rest, option=orjson.OPT_APPEND_NEWLINE)[1:]
    finally:
        tokens.close()


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
