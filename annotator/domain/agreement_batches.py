"""Documents for agreement as columns, and their grouping into chunks (DESIGN.md section 6).

A store reads the documents to measure a few hundred at a time; an :class:`AgreementBatch` holds
such a batch with its spans as numpy columns, so no object is made per span. :func:`chunks` keeps
what agreement counts (documents someone finished; spans of known annotators and labels on
documents their annotator finished), checks the offsets, and regroups the documents into chunks of
about ``chunk_characters`` characters, in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np

from annotator.domain.agreement_chunks import ChunkColumns

if TYPE_CHECKING:
    from annotator.domain.agreement import AgreementDocument

BATCH_DOCUMENTS = 500


@dataclass(frozen=True, slots=True)
class AgreementBatch:
    """Documents and their spans; ``span_annotator`` and ``span_label`` index ``annotator_names``
    and ``label_names``, ``span_document`` indexes ``uids``; offsets are code points in the text."""

    uids: list[str]
    texts: list[str]
    done_by: list[frozenset[str]]  # per document: annotators whose status on it is "done"
    annotator_names: Sequence[str]
    label_names: Sequence[str]
    span_document: np.ndarray
    span_annotator: np.ndarray
    span_label: np.ndarray
    span_start: np.ndarray
    span_end: np.ndarray


def batches_of(
    documents: Iterable[AgreementDocument], size: int = BATCH_DOCUMENTS
) -> Iterator[AgreementBatch]:
    """The documents, ``size`` at a time, as batches."""
    iterator = iter(documents)
    while part := list(islice(iterator, size)):
        annotator_codes: dict[str, int] = {}
        label_codes: dict[str, int] = {}
        span_document: list[int] = []
        span_annotator: list[int] = []
        span_label: list[int] = []
        span_start: list[int] = []
        span_end: list[int] = []
        for d, document in enumerate(part):
            if not document.spans:
                continue
            starts, ends, labels, names = list(zip(*document.spans, strict=False))[:4]
            span_document.extend([d] * len(starts))
            span_start.extend(starts)
            span_end.extend(ends)
            span_annotator.extend([annotator_codes.setdefault(n, len(annotator_codes)) for n in names])
            span_label.extend([label_codes.setdefault(x, len(label_codes)) for x in labels])
        yield AgreementBatch(
            [d.uid for d in part],
            [d.text for d in part],
            [d.done_by for d in part],
            list(annotator_codes),
            list(label_codes),
            np.asarray(span_document, dtype=np.int64),
            np.asarray(span_annotator, dtype=np.int64),
            np.asarray(span_label, dtype=np.int64),
            np.asarray(span_start, dtype=np.int64),
            np.asarray(span_end, dtype=np.int64),
        )


@dataclass(slots=True)
class _Pending:
    """Counted documents waiting for their chunk to fill."""

    uids: list[str]
    texts: list[str]
    done: list[list[int]]
    columns: list[tuple[np.ndarray, ...]]  # (document, annotator, label, start, end) pieces
    characters: int = 0

    def take(self) -> ChunkColumns:
        if self.columns:
            document, annotator, label, start, end = (
                np.concatenate(c) for c in zip(*self.columns, strict=True)
            )
        else:
            document = annotator = label = start = end = np.zeros(0, dtype=np.int64)
        chunk = ChunkColumns(self.uids, self.texts, self.done, document, annotator, label, start, end)
        self.uids, self.texts, self.done, self.columns, self.characters = [], [], [], [], 0
        return chunk


def chunks(
    batches: Iterable[AgreementBatch],
    annotators: Sequence[str],
    labels: Sequence[str],
    chunk_characters: int,
) -> Iterator[ChunkColumns]:
    """The counted documents in chunks: a chunk closes at the document that brings it to
    ``chunk_characters`` characters or more. A span outside its text raises ``ValueError``."""
    annotator_index = {name: i for i, name in enumerate(annotators)}
    label_index = {name: i for i, name in enumerate(labels)}
    pending = _Pending([], [], [], [])
    for batch in batches:
        done = [[i for i, name in enumerate(annotators) if name in who] for who in batch.done_by]
        document, annotator, label, start, end = _counted_spans(batch, done, annotator_index, label_index)
        counted = [d for d, finished in enumerate(done) if finished]
        renumber = np.full(len(done) + 1, -1, dtype=np.int64)
        renumber[counted] = np.arange(len(counted))
        document = renumber[document]
        order = np.argsort(document, kind="stable")
        document, annotator, label, start, end = (x[order] for x in (document, annotator, label, start, end))
        bounds = np.searchsorted(document, np.arange(len(counted) + 1)).tolist()
        first = 0  # first counted document of the batch not yet handed to pending
        for k, d in enumerate(counted):
            pending.uids.append(batch.uids[d])
            pending.texts.append(batch.texts[d])
            pending.done.append(done[d])
            pending.characters += len(batch.texts[d])
            if pending.characters >= chunk_characters or k == len(counted) - 1:
                lo, hi = bounds[first], bounds[k + 1]
                base = len(pending.uids) - (k + 1 - first)
                pending.columns.append(
                    (document[lo:hi] - first + base, annotator[lo:hi], label[lo:hi], start[lo:hi], end[lo:hi])
                )
                first = k + 1
                if pending.characters >= chunk_characters:
                    yield pending.take()
    if pending.uids:
        yield pending.take()


def _counted_spans(
    batch: AgreementBatch,
    done: list[list[int]],
    annotator_index: dict[str, int],
    label_index: dict[str, int],
) -> tuple[np.ndarray, ...]:
    """The spans agreement counts, as (document, annotator, label, start, end); checks offsets."""
    n_annotators = len(annotator_index)
    to_annotator = np.asarray(
        [annotator_index.get(n, -1) for n in batch.annotator_names] + [-1], dtype=np.int64
    )
    to_label = np.asarray([label_index.get(n, -1) for n in batch.label_names] + [-1], dtype=np.int64)
    finished = np.zeros((len(done), n_annotators + 1), dtype=bool)  # last column: unknown annotator
    for d, who in enumerate(done):
        finished[d, who] = True
    annotator = to_annotator[batch.span_annotator]
    label = to_label[batch.span_label]
    keep = (label >= 0) & finished[batch.span_document, annotator]
    document, start, end = batch.span_document[keep], batch.span_start[keep], batch.span_end[keep]
    annotator, label = annotator[keep], label[keep]
    lengths = np.fromiter(map(len, batch.texts), dtype=np.int64, count=len(batch.texts))
    bad = ~((start >= 0) & (start < end) & (end <= lengths[document]))
    if bad.any():
        where = np.flatnonzero(bad)
        k = int(where[np.argmin(document[where])])  # the first, in document order then span order
        uid, length = batch.uids[int(document[k])], int(lengths[document[k]])
        name = batch.annotator_names[int(batch.span_annotator[keep][k])]
        raise ValueError(
            f"document {uid!r}: span [{int(start[k])}, {int(end[k])}) of {name!r} "
            f"is outside its text of {length} characters"
        )
    return document, annotator, label, start, end
