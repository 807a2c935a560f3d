"""Import: files in, all-or-nothing per file, merging with what is already stored.

Merge semantics: a document already stored (same id and same text, or same text when the file
gives no id) is not stored twice; its spans and statuses are merged, spans already present are not
doubled, a status only moves forward (todo < in_progress < done). A known id with a different text
is refused: the file's offsets would point into another text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.errors import AnnotatorError
from annotator.domain.formats import doccano, native, plain, prodigy
from annotator.domain.formats.jsonl import Parser, detect_format, iter_objects
from annotator.domain.records import DocumentRecord, FormatError
from annotator.perf import gc_paused
from annotator.services.store_writer import RecordWriter
from annotator.store.database import Database

Progress = Callable[[int, int], None]  # (done, total); raising Cancelled from it rolls back the file
PLAIN_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".csv": "csv"}
JSONL_SUFFIXES = {".jsonl", ".json", ".ndjson"}
FORMATS = ("auto", "jsonl", "doccano", "prodigy", "txt", "md", "csv")


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
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        if self.error:
            return self.error
        return (
            f"{self.path} ({self.format}): {self.documents_added} new documents, {self.documents_merged} "
            f"already present; {self.spans_added} spans added, {self.spans_present} already present"
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


def _jsonl_parsers() -> dict[str, Parser]:
    return {"jsonl": native.parse, "doccano": doccano.parse, "prodigy": prodigy.parse}  # type: ignore[dict-item]  # readers accept None


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

    def __init__(self, path: Path, fmt: str, default_annotator: str | None) -> None:
        self.name = str(path)
        try:
            self._data = path.read_bytes()
        except OSError as exc:
            raise FormatError(self.name, None, f"cannot read the file ({exc.strerror})") from None
        self._stem = path.stem
        self._default_annotator = default_annotator
        self._requested = format_for(path, fmt)
        # Known once the first JSONL record is read (detection looks at it).
        self.format = "jsonl" if self._requested == "auto-jsonl" else self._requested
        self.total = max(1, self._data.count(b"\n") + 1)  # lines, an upper bound for progress

    def __iter__(self) -> Iterator[ParsedRecord]:
        fmt, name, data = self._requested, self.name, self._data
        if fmt in ("txt", "md"):
            yield ParsedRecord(None, plain.parse_text_file(data, name, self._stem))
            return
        if fmt == "csv":
            yield from (ParsedRecord(None, r) for r in plain.parse_csv(data, name))
            return
        parsers = _jsonl_parsers()
        count = 0
        for line, obj in iter_objects(data, name):
            if fmt == "auto-jsonl":
                fmt = self.format = detect_format(obj)
            parser = parsers.get(fmt)
            if parser is None:
                raise FormatError(name, line, f"format '{fmt}' cannot be imported by this version")
            record = parser(obj, name, line, self._default_annotator)
            if record is None:  # a rejected or ignored Prodigy task: not training data
                continue
            if record.spans and any(span.annotator is None for span in record.spans):
                raise FormatError(
                    name, line, f"{fmt} records name no annotator; import with --annotator NAME", "annotator"
                )
            count += 1
            yield ParsedRecord(line, record)
        if not count:
            raise FormatError(name, None, "the file is empty")


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
    ) -> ImportResult:
        result = ImportResult()
        for path in paths:
            report = FileReport(str(path))
            try:
                with gc_paused():
                    stream = RecordStream(Path(path), fmt, annotator)
                    report.format = stream.format
                    self._store(stream, report, progress)
                    report.format = stream.format
            except FormatError as exc:
                report = FileReport(str(path), report.format, error=str(exc))
            except AnnotatorError as exc:
                report = FileReport(str(path), report.format, error=f"{path}: {exc}")
            result.files.append(report)
        return result

    def _store(self, stream: RecordStream, report: FileReport, progress: Progress | None) -> None:
        # bulk: the writer resolves every label, annotator and document id itself in this transaction.
        with self._db.write(bulk=True) as session:
            writer = RecordWriter(session.connection(), report.path, team_member=self._db.team_member)
            writer.write(stream, stream.total, report, progress)
