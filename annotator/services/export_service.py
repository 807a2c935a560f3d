"""Export use case: pick the writer for a format, write atomically (or to a stream), count what left."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from annotator.domain.errors import AnnotatorError
from annotator.domain.formats import native
from annotator.domain.records import DocumentRecord
from annotator.services.atomic import atomic_write
from annotator.services.exporting import ExportFilter, RecordReader
from annotator.store.database import Database

Progress = Callable[[int, int], None]
LineWriter = Callable[[DocumentRecord], tuple[bytes, list[str]]]


@dataclass
class ExportSummary:
    format: str
    documents: int = 0
    spans: int = 0
    warnings: list[str] = field(default_factory=list)
    target: str = ""


def _native(record: DocumentRecord) -> tuple[bytes, list[str]]:
    return native.dump(record), []


def line_writers() -> dict[str, LineWriter]:
    """Formats written as one text stream, a record at a time."""
    return {"jsonl": _native}


DIRECTORY_FORMATS: set[str] = set()


def formats() -> list[str]:
    return [*line_writers(), *sorted(DIRECTORY_FORMATS)]


class ExportService:
    def __init__(self, db: Database) -> None:
        self._reader = RecordReader(db)

    def records(self, flt: ExportFilter, progress: Progress | None = None) -> Iterator[DocumentRecord]:
        return self._reader.records(flt, progress)

    def preview(self, fmt: str, flt: ExportFilter, limit: int = 3) -> str:
        """The first records as the file would hold them, for the export dialog."""
        writer = self._writer(fmt)
        out: list[str] = []
        for i, record in enumerate(self.records(flt)):
            if i >= limit:
                break
            out.append(writer(record)[0].decode("utf-8"))
        return "".join(out)

    def export(
        self,
        fmt: str,
        flt: ExportFilter,
        *,
        path: Path | None = None,
        stream: BinaryIO | None = None,
        progress: Progress | None = None,
    ) -> ExportSummary:
        writer = self._writer(fmt)
        summary = ExportSummary(fmt, target=str(path) if path else "<stdout>")
        records = self.records(flt, progress)
        if path is not None:
            with atomic_write(path) as fh:
                self._write(records, writer, fh, summary)
        elif stream is not None:
            self._write(records, writer, stream, summary)
        else:
            raise AnnotatorError("export needs a file or a stream to write to")
        return summary

    def _writer(self, fmt: str) -> LineWriter:
        writers = line_writers()
        if fmt not in writers:
            raise AnnotatorError(f"unknown export format '{fmt}'; use one of {', '.join(formats())}")
        return writers[fmt]

    @staticmethod
    def _write(
        records: Iterable[DocumentRecord], writer: LineWriter, fh: BinaryIO, summary: ExportSummary
    ) -> None:
        for record in records:
            data, warnings = writer(record)
            fh.write(data)
            summary.documents += 1
            summary.spans += len(record.spans)
            summary.warnings.extend(warnings)
