"""``annotator import --as-suggestions --source NAME FILE``: a model's output stored as suggestions.

All or nothing per file, like any import: a bad record (its offsets, label, score ...) is refused
naming the file, line and field, and nothing of the file is stored.

Documents are matched as an import matches them: by id when the file gives one that is stored
(the text must then be the same, else the file is refused: its offsets would point into another
text), else by the text itself. Suggestions are only ever added to documents already in the
database: a record whose document is not there is skipped and counted in the report (import the
documents first). For each matched document the suggestions from this source replace what the
source suggested there before; they are visible to every annotator (model output is built from
no one's spans). Labels must exist in the database.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from sqlalchemy import Connection, text

from annotator.domain.display import safe_text
from annotator.domain.errors import AnnotatorError
from annotator.domain.formats import doccano, labelstudio, limits, native, prodigy
from annotator.domain.formats.jsonl import detect_format, iter_objects_in
from annotator.domain.formats.offsets import UNITS, OffsetUnit
from annotator.domain.names import control_character
from annotator.domain.records import PATH_LIMIT, DocumentRecord, FormatError
from annotator.services.importing import DEFAULT_OFFSETS, format_for
from annotator.services.input_files import read_input_file, refuse_special_file
from annotator.services.suggestions import scores as sc
from annotator.store.database import Database
from annotator.store.errors import StoreError
from annotator.store.suggestions import access
from annotator.store.suggestions.access import NewSuggestion

FORMATS = ("auto", "jsonl", "doccano", "prodigy", "labelstudio")


@dataclass(slots=True)
class ScoredRecord:
    line: int | None
    where: str  # for messages: "line 3" or "[2]"
    record: DocumentRecord
    scores: list[float]


@dataclass
class SuggestionReport:
    path: str
    format: str = ""
    documents: int = 0
    suggestions: int = 0
    unknown_documents: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        if self.error:
            return self.error
        text = (
            f"{safe_text(self.path, PATH_LIMIT)} ({self.format}): {self.suggestions} suggestions "
            f"stored for {self.documents} documents"
        )
        if self.unknown_documents:
            shown = ", ".join(self.unknown_documents[:5]) + (" …" if len(self.unknown_documents) > 5 else "")
            text += (
                f"; {len(self.unknown_documents)} records name documents not in this database and were "
                f"skipped ({shown}): import those documents first"
            )
        return text


def read_scored(
    path: Path, fmt: str, source: str, offsets: OffsetUnit | None, seen: list[str] | None = None
) -> Iterator[ScoredRecord]:
    """seen: gets the format of each record appended (for the report)."""
    seen = [] if seen is None else seen
    name = str(path)
    if offsets is not None and offsets not in UNITS:
        raise FormatError(name, None, f"unknown offsets '{offsets}'; use one of {', '.join(UNITS)}")
    if fmt not in FORMATS:
        raise FormatError(name, None, f"suggestions come in {', '.join(FORMATS[1:])} files, not '{fmt}'")
    refuse_special_file(path)
    requested = format_for(path, fmt)
    if requested not in ("auto-jsonl", *FORMATS):
        raise FormatError(
            name, None, f"suggestions come in JSONL or Label Studio JSON files, not {requested}"
        )
    data = read_input_file(path, limits.DATA_FILE_BYTES, "a JSONL or JSON file")
    if requested == "labelstudio" or (requested == "auto-jsonl" and labelstudio.looks_like_labelstudio(data)):
        seen.append("labelstudio")
        yield from _labelstudio(data, name, source, offsets or DEFAULT_OFFSETS["labelstudio"])
        return
    count = 0
    for line, obj in iter_objects_in(data, name):
        kind = detect_format(obj) if requested == "auto-jsonl" else requested
        seen.append(kind)
        if kind == "doccano":
            obj, scores = sc.doccano_scores(obj, name, line)
            record: DocumentRecord | None = doccano.parse(
                obj, name, line, source, offsets or DEFAULT_OFFSETS["doccano"]
            )
        elif kind == "prodigy":
            scores = sc.native_scores(obj, name, line)
            record = prodigy.parse(obj, name, line, source)
        else:
            scores = sc.native_scores(obj, name, line)
            record = native.parse(obj, name, line, source)
        if record is None:  # a Prodigy task answered "reject" or "ignore": not a proposal
            continue
        count += 1
        yield ScoredRecord(line, f"line {line}", record, scores)
    if not count:
        raise FormatError(name, None, "the file holds no suggestions")


def _labelstudio(data: bytes, name: str, source: str, offsets: OffsetUnit) -> Iterator[ScoredRecord]:
    try:
        tasks = orjson.loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    except orjson.JSONDecodeError as exc:
        raise FormatError(name, None, f"invalid JSON ({exc})") from None
    if not isinstance(tasks, list):
        raise FormatError(name, None, f"expected a JSON list of tasks, found {type(tasks).__name__}")
    for i, task in enumerate(tasks):
        where = f"[{i}]"
        shaped, scores = sc.labelstudio_task(task, where, name, source)
        try:
            [record] = labelstudio.parse_file(orjson.dumps([shaped]), name, source, offsets)
        except FormatError as exc:
            field_name = (
                (exc.field_name or "").replace("[0]", where, 1).replace(".annotations[", ".predictions[")
            )
            raise FormatError(name, None, exc.reason, field_name or None) from None
        yield ScoredRecord(None, where, record, scores)


def _stored_documents(conn: Connection) -> tuple[dict[str, tuple[int, str]], dict[str, int]]:
    by_uid: dict[str, tuple[int, str]] = {}
    by_sha: dict[str, int] = {}
    for doc_id, uid, sha in conn.execute(text("SELECT id, uid, sha256 FROM document ORDER BY id")):
        by_uid[uid] = (doc_id, sha)
        by_sha.setdefault(sha, doc_id)
    return by_uid, by_sha


class SuggestionImporter:
    def __init__(self, db: Database) -> None:
        self._db = db

    def import_path(
        self,
        path: str | Path,
        source: str,
        *,
        fmt: str = "auto",
        version: str = "",
        offsets: OffsetUnit | None = None,
    ) -> SuggestionReport:
        report = SuggestionReport(str(path))
        if not source.strip() or control_character(source) or len(source) > 200:
            report.error = f"'{source}' cannot be a source name (empty, too long or control characters)"
            return report
        try:
            self._import(Path(path), source, fmt, version or "imported", offsets, report)
        except FormatError as exc:
            return SuggestionReport(str(path), report.format, error=str(exc))
        except StoreError as exc:
            reason = str(exc)
            if "refused" in reason:
                reason = (
                    "on a team database only a supervisor imports suggestions for everyone; "
                    "nothing was changed"
                )
            return SuggestionReport(
                str(path), report.format, error=f"{safe_text(str(path), PATH_LIMIT)}: {reason}"
            )
        except AnnotatorError as exc:
            return SuggestionReport(
                str(path), report.format, error=f"{safe_text(str(path), PATH_LIMIT)}: {exc}"
            )
        return report

    def _import(
        self,
        path: Path,
        source: str,
        fmt: str,
        version: str,
        offsets: OffsetUnit | None,
        report: SuggestionReport,
    ) -> None:
        name = str(path)
        report.format = fmt
        kinds: list[str] = []
        with self._db.write() as session:
            conn = session.connection()
            by_uid, by_sha = _stored_documents(conn)
            labels = dict(conn.execute(text("SELECT name, id FROM label")).all())
            found: dict[int, list[NewSuggestion]] = defaultdict(list)
            for scored in read_scored(path, fmt, source, offsets, kinds):
                report.format = kinds[-1]
                record = scored.record
                if len(scored.scores) != len(record.spans):  # (the readers keep every span, in order)
                    raise FormatError(name, scored.line, "could not pair the spans with their scores")
                sha = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
                doc_id: int | None = None
                if record.uid is not None and record.uid in by_uid:
                    doc_id, stored_sha = by_uid[record.uid]
                    if stored_sha != sha:
                        raise FormatError(
                            name,
                            scored.line,
                            f"document '{record.uid}' is stored with a different text; the "
                            "suggestions' offsets would point into another text",
                            "text",
                        )
                else:
                    doc_id = by_sha.get(sha)
                if doc_id is None:
                    report.unknown_documents.append(record.uid or scored.where)
                    continue
                for i, (span, score) in enumerate(zip(record.spans, scored.scores, strict=True)):
                    if span.label not in labels:
                        raise FormatError(
                            name,
                            scored.line,
                            f"the label '{span.label}' is not in this database (suggestion {i + 1} "
                            "of this record); add it first (annotator labels add)",
                            "label",
                        )
                    found[doc_id].append(
                        NewSuggestion(labels[span.label], span.start, span.end, score, version)
                    )
                found.setdefault(doc_id, [])
            for doc_id, rows in found.items():
                unique = list({(r.label_id, r.start, r.end): r for r in rows}.values())
                access.replace(conn, doc_id, source, None, False, unique, team_member=self._db.team_member)
                report.suggestions += len(unique)
            report.documents = len(found)
