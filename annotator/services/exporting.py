"""Export: stream records out of the store (SQLAlchemy Core, batched) into the chosen format.

Which documents: every document, or with ``--annotator`` those the named annotators worked on
(a status or a span), so untouched documents never pose as negatives; ``--done-only`` keeps an
annotator's spans only on documents they marked done, and drops documents nobody finished.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from annotator.domain.errors import AnnotatorError
from annotator.domain.names import GOLD_NAME
from annotator.domain.records import DocumentRecord, SpanRecord
from annotator.services.document_extras import document_label_sets, read_extras
from annotator.store.core_tables import annotator_t, document_t, label_t, span_t, status_t
from annotator.store.database import Database

BATCH = 200


@dataclass
class ExportFilter:
    annotators: list[str] = field(default_factory=list)
    gold: bool = False
    done_only: bool = False
    labels: list[str] = field(default_factory=list)


class RecordReader:
    """Yields DocumentRecords matching a filter, in document order, one batch of documents at a time."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def records(
        self, flt: ExportFilter, progress: Callable[[int, int], None] | None = None
    ) -> Iterator[DocumentRecord]:
        with self._db.read_rows() as conn:
            annotators = self._annotators(conn, flt)
            labels = self._labels(conn, flt)
            statuses = self._statuses(conn, annotators)
            doc_ids = self._document_ids(conn, flt, annotators, statuses)
            total = len(doc_ids)
            for offset in range(0, total, BATCH):
                batch = doc_ids[offset : offset + BATCH]
                extras = read_extras(conn, batch, annotators, flt.done_only)
                for doc_id, record in zip(
                    batch, self._batch(conn, batch, annotators, labels, statuses, flt.done_only), strict=True
                ):
                    yield extras.apply(doc_id, record)
                if progress is not None:
                    progress(min(offset + BATCH, total), total)

    def label_colors(self) -> list[tuple[str, str]]:
        """(name, colour) of every label not archived, in palette order."""
        c = label_t.c
        with self._db.read_rows() as conn:
            query = select(c.name, c.color).where(c.archived == False).order_by(c.position, c.id)  # noqa: E712
            return [(name, color) for name, color in conn.execute(query)]

    def document_label_sets(self) -> list[tuple[str, bool, list[str]]]:
        """(set, multiple, [label names]) of the document labels, for Label Studio's config."""
        with self._db.read_rows() as conn:
            return document_label_sets(conn)

    @staticmethod
    def _annotators(conn: Connection, flt: ExportFilter) -> dict[int, str]:
        rows = dict(conn.execute(select(annotator_t.c.name, annotator_t.c.id)).all())
        if flt.gold:
            names = [GOLD_NAME]
        elif flt.annotators:
            names = flt.annotators
        else:
            return {i: n for n, i in rows.items() if n != GOLD_NAME}
        unknown = [n for n in names if n not in rows]
        if unknown and not flt.gold:
            raise AnnotatorError(
                f"no annotator named {', '.join(repr(n) for n in unknown)}; known: {', '.join(sorted(rows)) or 'none'}"
            )
        return {rows[n]: n for n in names if n in rows}

    @staticmethod
    def _labels(conn: Connection, flt: ExportFilter) -> dict[int, str]:
        rows = dict(conn.execute(select(label_t.c.name, label_t.c.id)).all())
        if not flt.labels:
            return {i: n for n, i in rows.items()}
        unknown = [n for n in flt.labels if n not in rows]
        if unknown:
            raise AnnotatorError(
                f"no label named {', '.join(repr(n) for n in unknown)}; known: {', '.join(sorted(rows))}"
            )
        return {rows[n]: n for n in flt.labels}

    @staticmethod
    def _statuses(conn: Connection, annotators: dict[int, str]) -> dict[int, dict[int, str]]:
        out: dict[int, dict[int, str]] = defaultdict(dict)
        if not annotators:
            return out
        c = status_t.c
        query = select(c.document_id, c.annotator_id, c.status).where(c.annotator_id.in_(list(annotators)))
        for doc_id, ann_id, status in conn.execute(query):
            out[doc_id][ann_id] = status
        return out

    @staticmethod
    def _document_ids(
        conn: Connection, flt: ExportFilter, annotators: dict[int, str], statuses: dict[int, dict[int, str]]
    ) -> list[int]:
        ordered = [
            row[0]
            for row in conn.execute(select(document_t.c.id).order_by(document_t.c.position, document_t.c.id))
        ]
        if flt.done_only:
            return [d for d in ordered if any(s == "done" for s in statuses.get(d, {}).values())]
        if flt.annotators or flt.gold:
            touched = set(statuses)
            if annotators:
                query = (
                    select(span_t.c.document_id).where(span_t.c.annotator_id.in_(list(annotators))).distinct()
                )
                touched.update(row[0] for row in conn.execute(query))
            return [d for d in ordered if d in touched]
        return ordered

    @staticmethod
    def _batch(
        conn: Connection,
        doc_ids: list[int],
        annotators: dict[int, str],
        labels: dict[int, str],
        statuses: dict[int, dict[int, str]],
        done_only: bool,
    ) -> Iterator[DocumentRecord]:
        d, s = document_t.c, span_t.c
        docs = conn.execute(select(d.id, d.uid, d.title, d.text, d.meta).where(d.id.in_(doc_ids))).all()
        spans: dict[int, list[SpanRecord]] = defaultdict(list)
        if annotators and labels:
            query = (
                select(s.document_id, s.start, s.end, s.label_id, s.annotator_id, s.note)
                .where(
                    s.document_id.in_(doc_ids),
                    s.annotator_id.in_(list(annotators)),
                    s.label_id.in_(list(labels)),
                )
                .order_by(s.document_id, s.start, s.end, s.label_id, s.annotator_id)
            )
            for doc_id, start, end, label_id, ann_id, note in conn.execute(
                query
            ).all():  # (fetchall: 3x faster)
                if done_only and statuses.get(doc_id, {}).get(ann_id) != "done":
                    continue
                spans[doc_id].append(SpanRecord(start, end, labels[label_id], annotators[ann_id], note))
        by_id = {row[0]: row for row in docs}
        for doc_id in doc_ids:
            _, uid, title, text, meta = by_id[doc_id]
            status = {
                annotators[a]: st
                for a, st in statuses.get(doc_id, {}).items()
                if a in annotators and (not done_only or st == "done")
            }
            yield DocumentRecord(uid, text, title, meta or {}, spans.get(doc_id, []), status)
