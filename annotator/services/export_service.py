"""Export use case: pick the writer for a format, write atomically (or to a stream), count what left."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from annotator.domain.errors import AnnotatorError
from annotator.domain.formats import brat, conll, doccano, labelstudio, native, prodigy
from annotator.domain.formats.offsets import UNITS, OffsetUnit
from annotator.domain.records import DocumentRecord
from annotator.services.atomic import atomic_write
from annotator.services.atomic_folder import atomic_folder
from annotator.services.exporting import ExportFilter, RecordReader
from annotator.store.database import Database

Progress = Callable[[int, int], None]
# A record's bytes (or pieces of them, for formats whose documents can be large) and warnings.
LineWriter = Callable[[DocumentRecord], tuple[bytes | Iterable[bytes], list[str]]]


@dataclass
class ExportSummary:
    format: str
    documents: int = 0
    spans: int = 0
    warnings: list[str] = field(default_factory=list)
    target: str = ""
    extra_files: list[str] = field(default_factory=list)


def _native(record: DocumentRecord) -> tuple[Iterable[bytes], list[str]]:
    return native.dump_pieces(record), []


def _doccano(record: DocumentRecord, offsets: OffsetUnit = "utf16") -> tuple[bytes, list[str]]:
    return doccano.dump(record, offsets), []


class _LabelStudioTasks:
    """Label Studio reads one JSON list: tasks joined by commas, the brackets written around them."""

    head, tail = b"[\n", b"\n]\n"

    def __init__(self, offsets: OffsetUnit = "codepoints") -> None:
        self._offsets = offsets
        self._written = 0

    def __call__(self, record: DocumentRecord) -> tuple[Iterable[bytes], list[str]]:
        self._written += 1
        task = labelstudio.dump_task_pieces(record, self._offsets, self._written)
        return (task if self._written == 1 else itertools.chain((b",\n",), task)), []


def _conll(record: DocumentRecord) -> tuple[Iterable[bytes], list[str]]:
    pieces, warnings = conll.dump_pieces(record)
    return (piece.encode("utf-8") for piece in pieces), warnings


def line_writers() -> dict[str, LineWriter]:
    """Formats written as one text stream, a record at a time."""
    return {
        "jsonl": _native,
        "doccano": _doccano,
        "prodigy": prodigy.dump_pieces,
        "conll": _conll,
        "labelstudio": _LabelStudioTasks(),
    }


# What each tool counts offsets in, when --offsets is not given (see the format modules).
DEFAULT_OFFSETS: dict[str, OffsetUnit] = {"doccano": "utf16", "labelstudio": "codepoints"}


DIRECTORY_FORMATS = {"brat"}


def formats() -> list[str]:
    return [*line_writers(), *sorted(DIRECTORY_FORMATS)]


class ExportService:
    def __init__(self, db: Database) -> None:
        self._reader = RecordReader(db)

    def records(self, flt: ExportFilter, progress: Progress | None = None) -> Iterator[DocumentRecord]:
        return self._reader.records(flt, progress)

    def preview(self, fmt: str, flt: ExportFilter, limit: int = 3) -> str:
        """The first records as the file would hold them, for the export dialog."""
        out: list[str] = []
        for i, record in enumerate(self.records(flt)):
            if i >= limit:
                break
            if fmt in DIRECTORY_FORMATS:
                _, ann, _ = brat.dump_with_warnings(record)
                out.append(f"==> {brat_name(record, set())}.ann <==\n{ann}\n")
            else:
                data = self._writer(fmt)(record)[0]
                out.append((data if isinstance(data, bytes) else b"".join(data)).decode("utf-8"))
        return "".join(out)

    def export(
        self,
        fmt: str,
        flt: ExportFilter,
        *,
        path: Path | None = None,
        stream: BinaryIO | None = None,
        progress: Progress | None = None,
        offsets: OffsetUnit | None = None,
    ) -> ExportSummary:
        """``offsets``: how doccano and Label Studio files count (default: what that tool uses)."""
        summary = ExportSummary(fmt, target=str(path) if path else "<stdout>")
        writer = self._writer(fmt, offsets) if fmt not in DIRECTORY_FORMATS else None
        records = self.records(flt, progress)
        if fmt in DIRECTORY_FORMATS:
            if path is None:
                raise AnnotatorError(
                    "brat export writes a folder of .txt and .ann files: give it with -o DIR"
                )
            write_brat(records, path, summary)
            return summary
        assert writer is not None
        if path is not None:
            with atomic_write(path) as fh:
                self._write(records, writer, fh, summary)
            if fmt == "labelstudio":
                self._write_labelstudio_config(path, summary)
        elif stream is not None:
            self._write(records, writer, stream, summary)
            if fmt == "labelstudio":
                summary.warnings.append(
                    "the Label Studio labeling config is written beside an output file: export with -o FILE"
                )
        else:
            raise AnnotatorError("export needs a file or a stream to write to")
        return summary

    def _write_labelstudio_config(self, path: Path, summary: ExportSummary) -> None:
        config = path.with_name(f"{path.stem}.config.xml")
        with atomic_write(config) as fh:
            fh.write(_labelstudio_config(self._reader).encode("utf-8"))
        summary.extra_files.append(str(config))

    def _writer(self, fmt: str, offsets: OffsetUnit | None = None) -> LineWriter:
        if offsets is not None and offsets not in UNITS:
            raise AnnotatorError(f"unknown offsets '{offsets}'; use one of {', '.join(UNITS)}")
        if offsets is not None and fmt not in DEFAULT_OFFSETS:
            raise AnnotatorError(
                f"--offsets applies to {' and '.join(DEFAULT_OFFSETS)} exports; {fmt} counts code points"
            )
        if fmt == "doccano":
            unit = offsets or DEFAULT_OFFSETS["doccano"]
            return lambda record: _doccano(record, unit)
        if fmt == "labelstudio":
            return _LabelStudioTasks(offsets or DEFAULT_OFFSETS["labelstudio"])
        writers = line_writers()
        if fmt not in writers:
            raise AnnotatorError(f"unknown export format '{fmt}'; use one of {', '.join(formats())}")
        return writers[fmt]

    @staticmethod
    def _write(
        records: Iterable[DocumentRecord], writer: LineWriter, fh: BinaryIO, summary: ExportSummary
    ) -> None:
        fh.write(getattr(writer, "head", b""))
        for record in records:
            data, warnings = writer(record)
            if isinstance(data, bytes):
                fh.write(data)
            else:
                for piece in data:
                    fh.write(piece)
            summary.documents += 1
            summary.spans += len(record.spans)
            summary.warnings.extend(warnings)
        fh.write(getattr(writer, "tail", b""))


def _labelstudio_config(reader: RecordReader) -> str:
    sets = reader.document_label_sets()
    document_labels = {name for _, _, names in sets for name in names}
    spans = [(n, c) for n, c in reader.label_colors() if n not in document_labels]
    return labelstudio.labeling_config(spans, sets)


def brat_name(record: DocumentRecord, taken: set[str]) -> str:
    """A file name for the document that is safe on every platform and unique in the folder."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", record.uid or "document").strip("._") or "document"
    name, n = base[:100], 1
    while name.lower() in taken:
        n += 1
        name = f"{base[:100]}-{n}"
    taken.add(name.lower())
    return name


def write_brat(records: Iterable[DocumentRecord], folder: Path, summary: ExportSummary) -> None:
    """``NAME.txt`` + ``NAME.ann`` per document and an ``annotation.conf``, as one folder that replaces
    an earlier export whole (atomic_folder.py): a reader, or a run killed half-way, never sees old and
    new files mixed. brat settings a person added to the earlier export (visual.conf...) are kept.

    The .txt is the stored text byte for byte (UTF-8, no newline translation) so brat's character
    offsets are the stored code point offsets.
    """
    taken: set[str] = set()
    labels: set[str] = set()
    annotators: set[str] = set()
    with atomic_folder(folder, may_replace=_not_a_brat_export, carry_over=_brat_settings) as new:
        for record in records:
            txt, ann, warnings = brat.dump_with_warnings(record)
            name = brat_name(record, taken)
            new.write(f"{name}.txt", txt.encode("utf-8"))
            new.write(f"{name}.ann", ann.encode("utf-8"))
            summary.documents += 1
            summary.spans += len(record.spans)
            summary.warnings.extend(warnings)
            labels.update(s.label for s in record.spans)
            annotators.update(s.annotator for s in record.spans)
        new.write("annotation.conf", brat.annotation_conf(sorted(labels)).encode("utf-8"))
    if len(annotators) > 1:
        summary.warnings.append(
            f"brat has no annotator field: the spans of {', '.join(sorted(annotators))} are mixed in the .ann "
            "files; export with --annotator NAME or --gold for one layer"
        )


BRAT_FILES = {".txt", ".ann", ".conf"}


def _not_a_brat_export(folder: Path) -> str | None:
    """Why an existing folder may not be replaced by a brat export (None: it is empty or one)."""
    entries = [e for e in folder.iterdir() if e.name != ".DS_Store"]
    if not entries:
        return None
    others = sorted(
        e.name for e in entries if e.is_symlink() or not e.is_file() or e.suffix not in BRAT_FILES
    )
    if others or not (folder / "annotation.conf").is_file():
        held = f"it holds {', '.join(others[:3])}" if others else "it has no annotation.conf"
        return (
            f"is not an earlier brat export ({held}), and a brat export replaces its folder whole: "
            "export into a new or empty folder, or over an earlier brat export"
        )
    return None


def _brat_settings(path: Path) -> bool:
    return path.suffix == ".conf" and path.name != "annotation.conf"
