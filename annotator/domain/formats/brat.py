"""brat standoff: a ``.txt`` with the document text and an ``.ann`` with one ``T`` line per span.

Decisions:
- The ``.txt`` is the stored text unchanged (BOM, CRLF and U+2028 included). Write it as UTF-8 bytes
  with no newline translation (``open(path, "w", encoding="utf-8", newline="")``): brat reads it the same
  way, so ``.ann`` offsets are code point offsets into exactly that text.
- ``T1<TAB>Type START END<TAB>span text``. brat reads ``.ann`` files line by line (``str.splitlines``), so a
  span that contains line breaks (CR, LF, U+2028, ...) becomes a discontinuous annotation
  ``START END;START END`` whose fragments skip the line breaks; the text column is the fragments joined by
  one space, as brat expects. A span of line breaks only has no fragment and is dropped (a warning).
- Types are made safe for brat: accents are stripped (NFKD), whitespace becomes ``_``, and any character
  outside ``[A-Za-z0-9_-]`` becomes ``_`` (``strategic messaging`` -> ``strategic_messaging``). Distinct
  labels that differ only in those characters merge; an empty result becomes ``label``.
- A note becomes ``#1<TAB>AnnotatorNotes T1<TAB>note`` (line breaks and tabs in it become spaces). brat has
  no annotator field: the service filters to one annotator (or the gold layer) per export.
- ``T`` numbers follow the spans sorted by (start, end, label, annotator). All overlaps are kept (brat
  allows overlapping annotations). ``annotation_conf`` writes the ``annotation.conf`` brat needs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import NamedTuple

from annotator.domain.records import DocumentRecord, SpanRecord

# Exactly the boundaries of str.splitlines(), which is how brat's reader splits an .ann file.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_FRAGMENT = re.compile(f"[^{_LINE_BREAKS}]+")
_LINE_BREAK = re.compile(f"[{_LINE_BREAKS}]")
_LINE_BREAK_OR_TAB = re.compile(f"[\t{_LINE_BREAKS}]")
_UNSAFE_TYPE = re.compile(r"[^A-Za-z0-9_-]")
_WHITESPACE = re.compile(r"\s+")
DISCONT_SEP = " "


@cache
def safe_type(label: str) -> str:
    """A brat type name for ``label``: only ``[A-Za-z0-9_-]``."""
    ascii_ish = "".join(
        c for c in unicodedata.normalize("NFKD", label.strip()) if not unicodedata.combining(c)
    )
    safe = _UNSAFE_TYPE.sub("_", _WHITESPACE.sub("_", ascii_ish))
    return safe or "label"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` between line breaks (brat forbids a line break inside a fragment)."""
    if not _LINE_BREAK.search(text, start, end):
        return [(start, end)]
    return [m.span() for m in _FRAGMENT.finditer(text, start, end)]


def _span_order(span: SpanRecord) -> tuple[int, int, str, str]:
    return span.start, span.end, span.label, span.annotator


def dump_with_warnings(record: DocumentRecord) -> tuple[str, str, list[str]]:
    """(``.txt`` content, ``.ann`` content, warnings) for one document."""
    text = record.text
    lines: list[str] = []
    warnings: list[str] = []
    t_number = 0
    note_number = 0
    line_break = _LINE_BREAK.search
    for span in sorted(record.spans, key=_span_order):
        start, end = span.start, span.end
        if line_break(text, start, end):
            pieces = fragments(text, start, end)
            if not pieces:
                warnings.append(
                    f"document {record.uid!r}: span [{start}, {end}) {span.label!r} holds only line"
                    " breaks, which brat cannot mark; dropped"
                )
                continue
            offsets = ";".join(f"{s} {e}" for s, e in pieces)
            covered = DISCONT_SEP.join(text[s:e] for s, e in pieces)
        else:
            offsets, covered = f"{start} {end}", text[start:end]
        t_number += 1
        lines.append(f"T{t_number}\t{safe_type(span.label)} {offsets}\t{covered}\n")
        if span.note:
            note_number += 1
            note = _LINE_BREAK_OR_TAB.sub(" ", span.note)
            lines.append(f"#{note_number}\tAnnotatorNotes T{t_number}\t{note}\n")
    return text, "".join(lines), warnings


def dump(record: DocumentRecord) -> tuple[str, str]:
    """(``.txt`` content, ``.ann`` content) for one document."""
    txt, ann, _ = dump_with_warnings(record)
    return txt, ann


def annotation_conf(labels: list[str]) -> str:
    """An ``annotation.conf`` declaring the (safe) entity types, so brat can display the collection."""
    types = sorted({safe_type(label) for label in labels})
    return "[entities]\n" + "".join(t + "\n" for t in types) + "[relations]\n[events]\n[attributes]\n"


class TextBound(NamedTuple):
    label: str
    fragments: list[tuple[int, int]]
    text: str
    ann_id: str


class BratError(ValueError):
    """A line brat would refuse (it would keep it as an unparsed annotation and report an error)."""


def parse_ann(ann_text: str, document_text: str | None = None) -> list[TextBound]:
    """Text-bound annotations read exactly as brat's ``annotation.py`` (``TextAnnotations``) reads them.

    Lines are split with ``str.splitlines`` (brat's ``codecs`` reader), ids at the first tab, type and
    offsets at spaces and ``;``. Given ``document_text``, each annotation is checked as brat checks it:
    offsets within the text, fragments not overlapping, and the text column equal to the fragments' text
    joined by one space. Other annotation kinds (``#``, ``A``, ``R``, ...) are skipped.
    """
    result: list[TextBound] = []
    for line_no, line in enumerate(ann_text.splitlines(keepends=True), 1):
        if "\t" not in line:
            raise BratError(f"line {line_no}: no tab after the id: {line!r}")
        ann_id, id_tail = line.split("\t", 1)
        if not ann_id.startswith("T"):
            continue
        data, tab, tail = id_tail.partition("\t")
        tail = tab + tail  # brat keeps the tab at the start of the tail
        try:
            label, rest = data.split(" ", 1)
            spans: list[tuple[int, int]] = []
            for span_str in rest.split(";"):
                start_str, end_str = span_str.split(" ", 2)
                end_str = end_str.rstrip()
                if any(c.isspace() for c in end_str):
                    raise ValueError("space instead of tab?")
                spans.append((int(start_str), int(end_str)))
        except ValueError as exc:
            raise BratError(f"line {line_no}: cannot parse {data!r}: {exc}") from None
        text = tail[1:].rstrip(_LINE_BREAKS)
        if document_text is not None:
            text = _verify(document_text, spans, tail, line_no)
        result.append(TextBound(label, spans, text, ann_id))
    return result


def parse_ann_notes(ann_text: str) -> dict[str, str]:
    """``AnnotatorNotes`` comments by the id of the annotation they belong to (brat: ``tail.strip()``)."""
    notes: dict[str, str] = {}
    for line in ann_text.splitlines(keepends=True):
        ann_id, _, id_tail = line.partition("\t")
        if not ann_id.startswith("#"):
            continue
        data, _, tail = id_tail.partition("\t")
        kind, target = data.split()
        if kind == "AnnotatorNotes":
            notes[target] = ("\t" + tail).strip()
    return notes


def _verify(document_text: str, spans: list[tuple[int, int]], tail: str, line_no: int) -> str:
    """brat's ``TextAnnotations._parse_textbound_annotation`` checks; returns the annotation text."""
    seen: list[tuple[int, int]] = []
    for start, end in spans:
        if start > end:
            raise BratError(f"line {line_no}: start > end")
        if start < 0:
            raise BratError(f"line {line_no}: start < 0")
        if end > len(document_text):
            raise BratError(f"line {line_no}: offset exceeds text length")
        if any(end >= o_start and start < o_end for o_start, o_end in seen):
            raise BratError(f"line {line_no}: fragments overlap")
        seen.append((start, end))
    span_len = sum(end - start for start, end in spans) + (len(spans) - 1) * len(DISCONT_SEP)
    if tail.strip() == "" and span_len > 0:
        raise BratError(f"line {line_no}: text column missing")
    if not tail or tail[0] != "\t":
        raise BratError(f"line {line_no}: no tab before the text")
    if span_len > len(tail) - 1:
        raise BratError(f"line {line_no}: text shorter than the marked spans")
    text = tail[1 : span_len + 1]
    rest = tail[span_len + 1 :]
    reference = DISCONT_SEP.join(document_text[start:end] for start, end in spans)
    if text != reference:
        raise BratError(f"line {line_no}: text {text!r} does not match the document's {reference!r}")
    if rest != "" and not rest[0].isspace():
        raise BratError(f"line {line_no}: text not separated from the rest of the line")
    return text
