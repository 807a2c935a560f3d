"""Import: files in, all-or-nothing per file, merging with what is already stored.

Merge semantics: a document already stored (same id and same text, or same text when the file
gives no id) is not stored twice; its spans and statuses are merged, spans already present are not
doubled, a status only moves forward (todo < in_progress < done). A known id with a different text
is refused: the file's offsets would point into another text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from annotator.domain.display import safe_text
from annotator.domain.errors import AnnotatorError
from annotator.domain.formats import doccano, labelstudio, limits, native, plain, prodigy
from annotator.domain.formats.jsonl import Parser, detect_format, iter_objects
from annotator.domain.formats.offsets import UNITS, OffsetUnit
from annotator.domain.names import control_character
from annotator.domain.records import PATH_LIMIT, DocumentRecord, FormatError
from annotator.perf import gc_paused
from annotator.services.input_files import InputLines, read_input_file, refuse_special_file
from annotator.services.store_writer import RecordWriter
from annotator.store.database import Database

Progress = Callable[[int, int], None]  # (done, total); raising Cancelled from it rolls back the file
PLAIN_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".csv": "csv"}
JSONL_SUFFIXES = {".jsonl", ".json", ".ndjson"}
FORMATS = ("auto", "jsonl", "doccano", "prodigy", "labelstudio", "txt", "md", "csv")
# How each tool counts offsets when the file does not say (see the format modules' docstrings).
DEFAULT_OFFSETS: dict[str, OffsetUnit] = {"doccano": "utf16", "labelstudio": "codepoints"}


_PAST = {"reject": "rejected", "ignore": "ignored"}


class Cancelled(AnnotatorError):
    def __init__(self) -> None:
        super().__init__("cancelled; nothing of this file was imported")


@dataclass
class FileReport:
    path: str
    format: str = ""
    documents_added: int = 0
    documents_merged: int = 0
    spans_added: int = 0
    spans_present: int = 0
    labels_added: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        if self.error:
            return self.error
        added = f"; new labels: {', '.join(self.labels_added)}" if self.labels_added else ""
        return (
            f"{safe_text(self.path, PATH_LIMIT)} ({self.format}): {self.documents_added} new documents, {self.documents_merged} "
            f"already present; {self.spans_added} spans added, {self.spans_present} already present{added}"
        )


@dataclass
class ImportResult:
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)


@dataclass(slots=True)
class ParsedRecord:
    line: int | None
    record: DocumentRecord


def _jsonl_parsers(offsets: OffsetUnit | None) -> dict[str, Parser]:
    return {
        "jsonl": native.parse,
        "doccano": partial(doccano.parse, offsets=offsets or DEFAULT_OFFSETS["doccano"]),
        "prodigy": prodigy.parse,
    }  # type: ignore[dict-item]  # readers accept None


def format_for(path: Path, requested: str) -> str:
    if requested != "auto":
        if requested not in FORMATS:
            raise FormatError(
                str(path), None, f"unknown format '{requested}'; use one of {', '.join(FORMATS)}"
            )
        return requested
    suffix = path.suffix.lower()
    if suffix in PLAIN_SUFFIXES:
        return PLAIN_SUFFIXES[suffix]
    if suffix in JSONL_SUFFIXES:
        return "auto-jsonl"
    raise FormatError(
        str(path),
        None,
        f"unknown file type '{suffix or path.name}'; import .txt, .md, .csv or .jsonl files (or name the format with --format)",
    )


class RecordStream:
    """The records of one file, parsed as they are iterated so that storing one batch can overlap
    parsing the next. A bad record raises FormatError when it is reached; the caller rolls back."""

    def __init__(
        self, path: Path, fmt: str, default_annotator: str | None, offsets: OffsetUnit | None = None
    ) -> None:
        self.name = str(path)
        if offsets is not None and offsets not in UNITS:
            raise FormatError(self.name, None, f"unknown offsets '{offsets}'; use one of {', '.join(UNITS)}")
        self._offsets = offsets
        refuse_special_file(path)  # /dev/zero is a device before it is a file of an unknown type
        self._requested = format_for(path, fmt)
        self._data = b""
        self._lines: InputLines | None = None
        if self._requested in ("txt", "md"):
            self._data = read_input_file(path, limits.TEXT_FILE_BYTES, "a .txt or .md document")
        elif self._requested in ("csv", "labelstudio"):
            self._data = read_input_file(path, limits.DATA_FILE_BYTES, "a .csv or JSONL file")
        else:  # JSONL: read a line at a time, so memory holds a batch, not the file
            self._lines = InputLines(
                path, limits.DATA_FILE_BYTES, "a .csv or JSONL file", limits.JSONL_LINE_BYTES
            )
            if self._requested == "auto-jsonl" and labelstudio.looks_like_labelstudio(self._lines.head):
                self.close()
                self._requested = "labelstudio"
                self._data = read_input_file(path, limits.DATA_FILE_BYTES, "a .csv or JSONL file")
        # A file name that is not UTF-8 arrives with surrogate escapes, which no database stores.
        self._stem = path.stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        self._default_annotator = default_annotator
        # Known once the first JSONL record is read (detection looks at it).
        self.format = "jsonl" if self._requested == "auto-jsonl" else self._requested
        # Lines, an upper bound for progress.
        try:
            self.total = max(1, self._lines.count_lines() if self._lines else self._data.count(b"\n") + 1)
        except FormatError:
            self.close()
            raise

    @property
    def expected_documents(self) -> int:
        """About how many documents the file holds, for the writer's choice of bulk strategy:
        its lines for JSONL and CSV (one record a line), 1 for a text file, and 0 (unknown) for a
        Label Studio export, whose pretty-printed JSON spreads one task over many lines."""
        if self._requested in ("txt", "md"):
            return 1
        return 0 if self._requested == "labelstudio" else self.total

    def close(self) -> None:
        if self._lines is not None:
            self._lines.close()
            self._lines = None

    def __iter__(self) -> Iterator[ParsedRecord]:
        fmt, name, data = self._requested, self.name, self._data
        if self._offsets is not None and fmt in ("txt", "md", "csv"):
            raise FormatError(
                name, None, f"--offsets applies to doccano and Label Studio files; this is {fmt}"
            )
        if fmt in ("txt", "md"):
            yield ParsedRecord(None, plain.parse_text_file(data, name, self._stem))
            return
        if fmt == "csv":
            yield from (ParsedRecord(line, r) for line, r in plain.parse_csv(data, name))
            return
        if fmt == "labelstudio":
            yield from self._labelstudio()
            return
        parsers = _jsonl_parsers(self._offsets)
        count = 0
        declined: Counter[str] = Counter()
        assert self._lines is not None, "a JSONL stream is read once"
        for line, obj in iter_objects(self._lines, self._lines.head, name):
            if fmt == "auto-jsonl":
                fmt = self.format = detect_format(obj)
            if self._offsets is not None and fmt not in DEFAULT_OFFSETS:
                raise FormatError(
                    name, None, f"--offsets applies to doccano and Label Studio files; this is {fmt}"
                )
            parser = parsers.get(fmt)
            if parser is None:
                raise FormatError(name, line, f"format '{fmt}' cannot be imported by this version")
            record = parser(obj, name, line, self._default_annotator)
            if record is None:  # a rejected or ignored Prodigy task: not training data
                declined[str(obj.get("answer"))] += 1
                continue
            if record.meta and limits.nested_deeper_than(record.meta, limits.META_DEPTH):
                raise FormatError(name, line, f"is nested more than {limits.META_DEPTH} levels deep", "meta")
            if any(span.annotator is None for span in record.spans) or any(
                item.annotator is None for item in record.document_labels
            ):
                raise FormatError(
                    name, line, f"{fmt} records name no annotator; import with --annotator NAME", "annotator"
                )
            count += 1
            yield ParsedRecord(line, record)
        if not count and declined:
            answers = ", ".join(f"{n} {_PAST.get(a, a)}" for a, n in sorted(declined.items()))
            raise FormatError(
                name, None, f"the file holds no accepted answers ({answers}); nothing to import"
            )
        if not count:
            raise FormatError(name, None, "the file is empty")

    def _labelstudio(self) -> Iterator[ParsedRecord]:
        offsets = self._offsets or DEFAULT_OFFSETS["labelstudio"]
        count = 0
        for record in labelstudio.parse_file(self._data, self.name, self._default_annotator, offsets):
            count += 1
            yield ParsedRecord(None, record)
        if not count:
            raise FormatError(self.name, None, "the file holds no tasks")


class ImportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def import_paths(
        self,
        paths: Iterable[str | Path],
        *,
        fmt: str = "auto",
        annotator: str | None = None,
        progress: Progress | None = None,
        offsets: OffsetUnit | None = None,
        create_labels: bool = False,
    ) -> ImportResult:
        """``offsets``: how a doccano or Label Studio file counts (default: what that tool uses);
        ``create_labels``: add labels the file names and the database lacks, instead of refusing."""
        if annotator is not None and (not annotator.strip() or control_character(annotator)):
            raise AnnotatorError(f"'{annotator}' cannot be an annotator name (empty, or control characters)")
        result = ImportResult()
        for path in paths:
            report = FileReport(str(path))
            try:
                with gc_paused():
                    stream = RecordStream(Path(path), fmt, annotator, offsets)
                    try:
                        report.format = stream.format
                        self._store(stream, report, progress, create_labels)
                        report.format = stream.format
                    finally:
                        stream.close()
            except FormatError as exc:
                report = FileReport(str(path), report.format, error=str(exc))
            except AnnotatorError as exc:
                report = FileReport(
                    str(path), report.format, error=f"{safe_text(str(path), PATH_LIMIT)}: {exc}"
                )
            result.files.append(report)
        return result

    def _store(
        self, stream: RecordStream, report: FileReport, progress: Progress | None, create_labels: bool
    ) -> None:
        # bulk: the writer resolves every label, annotator and document id itself in this transaction.
        with self._db.write_rows(bulk=True) as conn:
            writer = RecordWriter(
                conn,
                report.path,
                create_labels=create_labels,
                team_member=self._db.team_member,
            )
            writer.write(stream, stream.total, report, progress, expected=stream.expected_documents)
