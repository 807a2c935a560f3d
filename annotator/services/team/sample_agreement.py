"""Agreement by design: the figures on the agreement sample (the documents everyone is assigned).

Alpha per label comes from domain.agreement.compute_agreement over the sample's documents that
someone finished, with the same rules as the review window and `annotator agreement` (who counts,
units, missing values), so the same documents give the same figures. Also: how many of the
sample's documents each annotator has finished, and alpha per label day by day (each day's batch
of sample documents whose second, third... annotator finished them that day).

The figures are kept with a signature of everything they depend on: the sample, the labels, who
finished which sample document when, and the count, highest id and a checksum of the spans on
the finished sample documents. A refresh that finds the same signature (a few small queries)
returns the kept figures instead of reading texts and spans and computing again, which takes tens
of seconds on a large sample; a new, moved or deleted span or a status changes it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from annotator.domain.agreement import AgreementDocument, compute_agreement
from annotator.domain.records import SpanRecord
from annotator.store.database import Database

CHUNK = 500
MIX = (7919, 104_729, 1_299_709, 15_485_863, 1_000_000_007)  # primes: a checksum of span rows


@dataclass(frozen=True)
class AgreementPoint:
    day: str  # UTC date the batch's documents were finished
    documents: int
    alpha: dict[str, float | None]  # label -> alpha on this batch


@dataclass(frozen=True)
class SampleAgreement:
    documents: int  # documents in the agreement sample
    finished: dict[str, int]  # annotator -> sample documents they marked done
    alpha: list[dict[str, Any]]  # compute_agreement's rows: label, alpha, units (+ reason)
    overall_alpha: float | None
    counted: int  # sample documents someone finished (the units' documents)
    timeline: list[AgreementPoint] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "sample_documents": self.documents,
            "counted_documents": self.counted,
            "finished": self.finished,
            "alpha": self.alpha,
            "overall_alpha": self.overall_alpha,
            "timeline": [{"day": p.day, "documents": p.documents, "alpha": p.alpha} for p in self.timeline],
        }


class SampleAgreementService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()  # the review window and the Team view ask from worker threads
        self._kept: dict[
            bool, tuple[tuple[Any, ...], SampleAgreement]
        ] = {}  # timeline? -> (signature, figures)
        self.computations = 0  # how often the figures were computed, not taken from what was kept

    def sample_agreement(self, *, timeline: bool = True) -> SampleAgreement:
        """The figures on the agreement sample; the kept ones when nothing they depend on changed."""
        with self._db.read_rows() as conn:
            sample = sorted(
                d for (d,) in conn.execute(text("SELECT DISTINCT document_id FROM assignment WHERE sample"))
            )
            names = dict(conn.execute(text("SELECT id, name FROM annotator WHERE role <> 'gold'")).all())
            labels = [n for (n,) in conn.execute(text("SELECT name FROM label ORDER BY position, id"))]
            done = self._done(conn, sample, names)
            signature = (
                tuple(sample),
                tuple(labels),
                tuple((d, tuple(sorted(who.items()))) for d, who in sorted(done.items())),
                self._span_mark(conn, sorted(done)),
            )
            kept = self._kept_for(signature, timeline)
            if kept is not None:
                return kept
            documents = self._documents(conn, done, names)
        result = self._compute(sample, labels, done, documents, timeline)
        with self._lock:
            self.computations += 1
            self._kept[timeline] = (signature, result)
        return result

    def _kept_for(self, signature: tuple[Any, ...], timeline: bool) -> SampleAgreement | None:
        with self._lock:
            for with_timeline in (True,) if timeline else (False, True):  # a timeline serves both
                kept = self._kept.get(with_timeline)
                if kept is not None and kept[0] == signature:
                    return kept[1]
        return None

    @staticmethod
    def _compute(
        sample: list[int],
        labels: list[str],
        done: dict[int, dict[str, str]],
        documents: list[AgreementDocument],
        timeline: bool,
    ) -> SampleAgreement:
        finished: dict[str, int] = defaultdict(int)
        for who in done.values():
            for name in who:
                finished[name] += 1
        annotators = sorted(finished)
        result = compute_agreement(documents, annotators, labels)
        points = SampleAgreementService._timeline(documents, done, annotators, labels) if timeline else []
        return SampleAgreement(
            len(sample),
            dict(sorted(finished.items())),
            result["alpha"],
            result["overall_alpha"],
            result["documents"],
            points,
        )

    @staticmethod
    def _span_mark(conn: Connection, ids: list[int]) -> tuple[int, int, int]:
        """(count, highest id, checksum of who, label and offsets) of the spans on these
        documents: changes with any span added, moved, relabelled or deleted there. Only columns
        of the unique index, so SQLite answers from the index without reading the spans."""
        count, top, checksum = 0, 0, 0
        for part in range(0, len(ids), CHUNK):
            marks = ", ".join(str(int(d)) for d in ids[part : part + CHUNK])
            source = (
                f"annotator_spans_of_documents(ARRAY[{marks}]::integer[]) s"
                if conn.dialect.name == "postgresql"
                else f"span s WHERE document_id IN ({marks})"
            )
            n, high, total = conn.execute(
                text(
                    f"SELECT count(*), coalesce(max(s.id), 0), coalesce(sum((CAST(s.id AS BIGINT) * {MIX[0]}"
                    f" + CAST(s.annotator_id AS BIGINT) * {MIX[1]} + CAST(s.label_id AS BIGINT) * {MIX[2]}"
                    f' + CAST(s.start AS BIGINT) * {MIX[3]} + s."end") % {MIX[4]}), 0) FROM {source}'
                )
            ).one()
            count, top, checksum = count + n, max(top, int(high)), (checksum + int(total)) % MIX[4]
        return count, top, checksum

    @staticmethod
    def _done(conn: Connection, sample: list[int], names: dict[int, str]) -> dict[int, dict[str, str]]:
        """document -> {annotator name: UTC day they marked it done}."""
        done: dict[int, dict[str, str]] = defaultdict(dict)
        for part in range(0, len(sample), CHUNK):
            chunk = sample[part : part + CHUNK]
            marks = ", ".join(str(int(d)) for d in chunk)
            for doc, ann, when in conn.execute(
                text(
                    "SELECT document_id, annotator_id, updated_at FROM document_status "
                    f"WHERE status = 'done' AND document_id IN ({marks})"
                )
            ):
                if ann in names:
                    done[doc][names[ann]] = _day(when)
        return done

    @staticmethod
    def _documents(
        conn: Connection, done: dict[int, dict[str, str]], names: dict[int, str]
    ) -> list[AgreementDocument]:
        ids = sorted(done)
        label_names = dict(conn.execute(text("SELECT id, name FROM label")).all())
        texts: dict[int, tuple[str, str]] = {}
        spans: dict[int, list[SpanRecord]] = defaultdict(list)
        for part in range(0, len(ids), CHUNK):
            marks = ", ".join(str(int(d)) for d in ids[part : part + CHUNK])
            for doc, uid, body in conn.execute(
                text(f"SELECT id, uid, text FROM document WHERE id IN ({marks})")
            ):
                texts[doc] = (uid, body)
            source = (  # PostgreSQL: only the chunk's spans, not every visible span (migration 0008)
                f"annotator_spans_of_documents(ARRAY[{marks}]::integer[])"
                if conn.dialect.name == "postgresql"
                else f"span WHERE document_id IN ({marks})"
            )
            for doc, start, end, label, ann in conn.execute(
                text(f'SELECT document_id, start, "end", label_id, annotator_id FROM {source}')
            ):
                name = names.get(ann)
                if name is not None and name in done[doc]:
                    spans[doc].append(SpanRecord(start, end, label_names[label], name))
        return [AgreementDocument(texts[i][0], texts[i][1], frozenset(done[i]), tuple(spans[i])) for i in ids]

    @staticmethod
    def _timeline(
        documents: list[AgreementDocument],
        done: dict[int, dict[str, str]],
        annotators: list[str],
        labels: list[str],
    ) -> list[AgreementPoint]:
        """Alpha per label for each day's batch: the sample documents finished by at least two
        annotators, dated by the day the last of them finished."""
        by_day: dict[str, list[AgreementDocument]] = defaultdict(list)
        for doc_id, document in zip(sorted(done), documents, strict=True):
            days = done[doc_id]
            if len(days) >= 2:
                by_day[max(days.values())].append(document)
        points = []
        for day in sorted(by_day):
            result = compute_agreement(by_day[day], annotators, labels)
            alpha = {row["label"]: row["alpha"] for row in result["alpha"]}
            points.append(AgreementPoint(day, len(by_day[day]), alpha))
        return points


def _day(when: Any) -> str:
    if isinstance(when, datetime):
        return (when.astimezone(UTC) if when.tzinfo else when).strftime("%Y-%m-%d")
    return str(when)[:10]
