"""The supervisor's use cases: agreement figures, documents ranked by disagreement, side-by-side
comparison, and adjudication into the gold layer (a reserved annotator, so every export works on it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, ColumnElement, Connection, cast, func, select

from annotator.domain.agreement import compute_agreement_batches
from annotator.domain.agreement_batches import AgreementBatch
from annotator.domain.agreement_documents import document_label_agreement
from annotator.domain.comparison import Passage, disagreement_count, passages
from annotator.domain.errors import AnnotatorError
from annotator.domain.records import SpanRecord
from annotator.perf import gc_paused
from annotator.services.annotators import GOLD_NAME, get_or_create, to_info
from annotator.services.document_extras import document_data_fingerprint, document_label_values
from annotator.services.models import AnnotatorInfo, SpanInfo
from annotator.store import team_api
from annotator.store.database import Database
from annotator.store.notifications import ChangeListener
from annotator.store.queries import span_rows
from annotator.store.tables import Annotator, Document, DocumentStatus, Label, Span

document_t, span_t, status_t = Document.__table__, Span.__table__, DocumentStatus.__table__
label_t, annotator_t = Label.__table__, Annotator.__table__


@dataclass(frozen=True, slots=True)
class ReviewRow:
    document_id: int
    uid: str
    title: str
    finished_by: tuple[str, ...]
    disagreements: int
    reviewed: bool


@dataclass(frozen=True, slots=True)
class Comparison:
    document_id: int
    title: str
    text: str
    annotators: tuple[str, ...]  # who finished it: the ones compared
    spans: dict[str, list[SpanInfo]]  # every annotator with spans here, gold under GOLD_NAME
    passages: list[Passage]
    reviewed: bool


class ReviewService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ----- who --------------------------------------------------------------------------

    def gold(self) -> AnnotatorInfo:
        with self._db.write() as session:
            if self._db.team_member:  # only a supervisor's call of the function creates it
                return AnnotatorInfo(*team_api.gold(session.connection()))
            return to_info(get_or_create(session, GOLD_NAME, "gold"))

    def _names(self, conn: Connection) -> dict[int, str]:
        return dict(conn.execute(select(annotator_t.c.id, annotator_t.c.name)).all())

    def _label_names(self, conn: Connection) -> dict[int, str]:
        return dict(conn.execute(select(label_t.c.id, label_t.c.name)).all())

    # ----- agreement --------------------------------------------------------------------

    def agreement(
        self,
        *,
        annotators: list[str] | None = None,
        labels: list[str] | None = None,
        per_document: bool = False,
    ) -> dict[str, Any]:
        with self._db.read_rows() as conn:  # (Core only: no ORM session to set up)
            names = self._names(conn)
            roles = dict(conn.execute(select(annotator_t.c.name, annotator_t.c.role)).all())
            label_rows = conn.execute(
                select(label_t.c.name, label_t.c.kind).order_by(label_t.c.position, label_t.c.id)
            ).all()
            all_labels = [name for name, kind in label_rows if kind != "document"]
            document_labels = [name for name, kind in label_rows if kind == "document"]
            # By default, everyone (but gold) who finished at least one document: a supervisor who
            # never annotated is not an annotator with undefined figures.
            finishers = {
                names[a]
                for (a,) in conn.execute(
                    select(status_t.c.annotator_id).where(status_t.c.status == "done").distinct()
                )
            }
            chosen = annotators or sorted(n for n in finishers if roles.get(n) != "gold")
            for name in chosen:
                if name not in roles or roles[name] == "gold":
                    raise AnnotatorError(f"no annotator named '{name}' (known: {', '.join(sorted(roles))})")
            for name in labels or []:
                if name not in all_labels and name not in document_labels:
                    known = ", ".join(all_labels + document_labels)
                    raise AnnotatorError(f"no label named '{name}' (known: {known})")
            with gc_paused():  # the documents are read as they are measured, 500 at a time
                done_by, given = document_label_values(conn, names, set(chosen))
                batches = self._agreement_batches(conn, names, set(chosen))
                span_labels = [x for x in labels if x in all_labels] if labels else all_labels
                result = compute_agreement_batches(batches, chosen, span_labels, per_document=per_document)
        wanted = [x for x in labels if x in document_labels] if labels else document_labels
        result["document_labels"] = document_label_agreement(done_by, given, chosen, wanted)
        return result

    def _agreement_batches(
        self, conn: Connection, names: dict[int, str], chosen: set[str]
    ) -> Iterator[AgreementBatch]:
        """The documents someone chosen finished, 500 at a time, spans as columns (no object per span:
        agreement_batches.chunks drops the spans of other annotators and of unfinished documents)."""
        label_names = self._label_names(conn)
        done: dict[int, set[str]] = defaultdict(set)
        for doc_id, ann_id in conn.execute(
            select(status_t.c.document_id, status_t.c.annotator_id).where(status_t.c.status == "done")
        ):
            if names[ann_id] in chosen:
                done[doc_id].add(names[ann_id])
        annotator_ids, label_ids = list(names), list(label_names)
        annotator_code = _codes(annotator_ids)
        label_code = _codes(label_ids)
        annotator_names = [names[k] for k in annotator_ids]
        label_list = [label_names[k] for k in label_ids]
        ids = sorted(done)
        d, s = document_t.c, span_t.c
        if max([*annotator_ids, *label_ids], default=0) < _HALF:  # two numbers in one: fewer to convert
            query, width = (
                select(
                    s.document_id,
                    _wide(s.start) * (2 * _HALF) + s.end,
                    _wide(s.label_id) * (2 * _HALF) + s.annotator_id,
                ),
                3,
            )
        else:
            query, width = select(s.document_id, s.start, s.end, s.label_id, s.annotator_id), 5
        for part in range(0, len(ids), 500):
            chunk = ids[part : part + 500]
            rows = conn.execute(select(d.id, d.uid, d.text).where(d.id.in_(chunk)).order_by(d.id)).all()
            spans = conn.execute(query.where(s.document_id.in_(chunk))).all()  # (fetchall: 3x faster)
            flat = np.fromiter(chain.from_iterable(spans), dtype=np.int64, count=width * len(spans))
            columns = flat.reshape(-1, width) if width == 5 else _unpacked(flat.reshape(-1, 3))
            row_ids = np.fromiter((doc_id for doc_id, _, _ in rows), dtype=np.int64, count=len(rows))
            yield AgreementBatch(
                [uid for _, uid, _ in rows],
                [text for _, _, text in rows],
                [frozenset(done[doc_id]) for doc_id, _, _ in rows],
                annotator_names,
                label_list,
                np.searchsorted(row_ids, columns[:, 0]),  # rows are in id order
                annotator_code[columns[:, 4]],
                label_code[columns[:, 3]],
                columns[:, 1].copy(),
                columns[:, 2].copy(),
            )

    def change_listener(self) -> ChangeListener | None:
        """Notifications of others' committed work (PostgreSQL); None where there are none (SQLite)
        and the fingerprint poll is all there is."""
        return ChangeListener.open(self._db.engine)

    def fingerprint(self, document_id: int | None = None) -> tuple[Any, ...]:
        """Changes whenever an annotator (not gold) adds, edits or deletes a span or changes a
        status, in the whole database or in one document: a cheap check for the review window's
        poll, so others' new work appears without a restart."""
        with self._db.read() as session:
            conn = session.connection()
            extra = document_data_fingerprint(conn, document_id)
            if self._db.team_member:
                return (*team_api.fingerprint(conn, document_id), *extra)
            gold = select(annotator_t.c.id).where(annotator_t.c.role == "gold").scalar_subquery()
            out: list[Any] = []
            for table in (span_t, status_t):
                query = select(func.count(), func.max(table.c.updated_at)).where(
                    table.c.annotator_id != func.coalesce(gold, -1)
                )
                if document_id is not None:
                    query = query.where(table.c.document_id == document_id)
                out.extend(conn.execute(query).one())
            return (*out, *extra)

    # ----- documents and comparison -----------------------------------------------------

    def ranked_documents(self) -> list[ReviewRow]:
        """Documents at least two annotators finished, most disagreements first."""
        with self._db.read() as session:
            conn = session.connection()
            names = self._names(conn)
            roles = dict(conn.execute(select(annotator_t.c.id, annotator_t.c.role)).all())
            label_names = self._label_names(conn)
            finished: dict[int, set[str]] = defaultdict(set)
            reviewed: set[int] = set()
            for doc_id, ann_id, status in conn.execute(
                select(status_t.c.document_id, status_t.c.annotator_id, status_t.c.status)
            ):
                if status != "done":
                    continue
                if roles[ann_id] == "gold":
                    reviewed.add(doc_id)
                else:
                    finished[doc_id].add(names[ann_id])
            ids = sorted(d for d, who in finished.items() if who)
            titles = (
                {
                    row[0]: (row[1], row[2])
                    for row in conn.execute(
                        select(document_t.c.id, document_t.c.uid, document_t.c.title).where(
                            document_t.c.id.in_(ids)
                        )
                    )
                }
                if ids
                else {}
            )
            spans: dict[int, list[SpanRecord]] = defaultdict(list)
            if ids:
                s = span_t.c
                query = select(s.document_id, s.start, s.end, s.label_id, s.annotator_id).where(
                    s.document_id.in_(ids)
                )
                for doc_id, start, end, label_id, ann_id in conn.execute(query):
                    spans[doc_id].append(SpanRecord(start, end, label_names[label_id], names[ann_id]))
        rows = []
        for doc_id in ids:
            who = tuple(sorted(finished[doc_id]))
            count = disagreement_count(passages(spans[doc_id], who)) if len(who) > 1 else 0
            uid, title = titles[doc_id]
            rows.append(ReviewRow(doc_id, uid, title, who, count, doc_id in reviewed))
        rows.sort(key=lambda r: (r.reviewed, -r.disagreements, r.title))
        return rows

    def compare(self, document_id: int) -> Comparison:
        with gc_paused():
            return self._compare(document_id)

    def _compare(self, document_id: int) -> Comparison:
        with self._db.read() as session:
            conn = session.connection()
            names = self._names(conn)
            roles = dict(conn.execute(select(annotator_t.c.id, annotator_t.c.role)).all())
            label_names = self._label_names(conn)
            row = conn.execute(
                select(document_t.c.title, document_t.c.text).where(document_t.c.id == document_id)
            ).first()
            if row is None:
                raise AnnotatorError(f"document {document_id} does not exist")
            title, text = row
            finished, reviewed = [], False
            for ann_id, status in conn.execute(
                select(status_t.c.annotator_id, status_t.c.status).where(
                    status_t.c.document_id == document_id
                )
            ):
                if status == "done":
                    if roles[ann_id] == "gold":
                        reviewed = True
                    else:
                        finished.append(names[ann_id])
            rows = span_rows(conn, document_id, team_member=self._db.team_member)
        by_annotator: dict[str, list[SpanInfo]] = defaultdict(list)
        for row in rows:
            by_annotator[names[row[2]]].append(SpanInfo._make(row))
        compared_ids = {a for a, n in names.items() if n in finished}
        records = [
            SpanRecord(start, end, label_names[label_id], names[ann_id], note)
            for _, _, ann_id, label_id, start, end, note in rows
            if ann_id in compared_ids
        ]
        compared = tuple(sorted(finished))
        return Comparison(
            document_id, title, text, compared, dict(by_annotator), passages(records, compared), reviewed
        )


_HALF = 1 << 31  # offsets and ids below it: two of them fit in a signed 64-bit integer


def _wide(column: ColumnElement[int]) -> ColumnElement[int]:
    """As a 64-bit integer (PostgreSQL multiplies integer columns in 32 bits)."""
    return cast(column, BigInteger)


def _unpacked(packed: np.ndarray) -> np.ndarray:
    """(document, start * 2**32 + end, label * 2**32 + annotator) rows as (document, start, end, label,
    annotator) columns."""
    low = np.int64(2 * _HALF - 1)
    return np.stack(
        (packed[:, 0], packed[:, 1] >> 32, packed[:, 1] & low, packed[:, 2] >> 32, packed[:, 2] & low), axis=1
    )


def _codes(ids: list[int]) -> np.ndarray:
    """A lookup array: database id -> its position in ``ids``."""
    table = np.full(max(ids, default=0) + 1, -1, dtype=np.int64)
    table[ids] = np.arange(len(ids))
    return table
