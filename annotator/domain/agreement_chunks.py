"""The unit arithmetic of agreement over a chunk of documents at once (DESIGN.md section 6).

The documents of a chunk are laid end to end: one text, one unit prefix (agreement_units.py), and
every span of the chunk in flat numpy columns, deduplicated and sorted by owner (annotator, label),
then start, then end. Nothing here is per unit: an annotator's coverage for a label is the union of
their ranges in unit coordinates (intervals merged by a running maximum of ends), and every count
the figures need is a sum of interval lengths per document:

- ``k(u)``, the number of annotators covering unit u with label L, sums over a document to
  ``sum_i |C_i|``, and ``k(u)^2`` to ``sum_i |C_i| + 2 sum_{i<j} |C_i & C_j|``;
- kappa's counts for a pair are ``|C_a|``, ``|C_b|`` and ``|C_a & C_b|`` on the documents both finished.

Spans never cross their document and merged intervals are never joined across a mere touch, so
every interval, and every piece of an intersection, lies in one document. The counts are the same
integers the per-unit coverage arrays summed to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.domain.agreement_units import AlphaCounts, KappaCounts, space_positions


@dataclass(slots=True)
class ChunkColumns:
    """Counted documents of a chunk and their spans, as columns.

    The spans are those of annotators who finished their document, with known annotator and label
    indices, inside their text (checked by the caller); ``start`` and ``end`` are offsets in the
    document, ``document`` an index into ``uids``.
    """

    uids: list[str]
    texts: list[str]
    done: list[list[int]]  # per document: the annotators who finished it, in annotator order
    document: np.ndarray
    annotator: np.ndarray
    label: np.ndarray
    start: np.ndarray
    end: np.ndarray


class Chunk:
    """Documents laid end to end, their units and their spans grouped by owner."""

    def __init__(self, columns: ChunkColumns, n_annotators: int, n_labels: int) -> None:
        self.uids, self.done = columns.uids, columns.done
        n_documents = len(columns.uids)
        self.n_documents = n_documents
        self.n_labels = n_labels
        lengths = np.fromiter(map(len, columns.texts), dtype=np.int64, count=n_documents)
        total_chars = int(lengths.sum())
        char_base = np.zeros(n_documents, dtype=np.int64)
        np.cumsum(lengths[:-1], out=char_base[1:])
        spaces = space_positions("".join(columns.texts))

        def units_before(offsets: np.ndarray) -> np.ndarray:
            return offsets - np.searchsorted(spaces, offsets)

        self.units = np.diff(units_before(np.append(char_base, total_chars)))  # units per document
        self.total_units = total_chars - len(spaces)
        self.done_mask = np.zeros((n_documents, max(n_annotators, 1)), dtype=bool)
        for d, done in enumerate(columns.done):
            self.done_mask[d, done] = True
        self.values = self.done_mask.sum(axis=1).astype(np.int64)  # values per unit, per document

        owner = columns.annotator * n_labels + columns.label
        start = char_base[columns.document] + columns.start
        end = char_base[columns.document] + columns.end
        order = np.lexsort((end, start, owner))
        owner, start, end, document = owner[order], start[order], end[order], columns.document[order]
        if len(owner) > 1:  # the same range twice from one owner counts once
            fresh = np.ones(len(owner), dtype=bool)
            fresh[1:] = (owner[1:] != owner[:-1]) | (start[1:] != start[:-1]) | (end[1:] != end[:-1])
            owner, start, end, document = owner[fresh], start[fresh], end[fresh], document[fresh]
        self._start, self._end, self._document = start, end, document
        self._unit_start, self._unit_end = units_before(start), units_before(end)
        self._key_scale = total_chars + 1
        self._cuts = np.searchsorted(owner, np.arange(n_annotators * n_labels + 1)).tolist()
        self._merged: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def _slice(self, annotator: int, label: int) -> slice:
        owner = annotator * self.n_labels + label
        return slice(self._cuts[owner], self._cuts[owner + 1])

    def has_spans(self, annotator: int, label: int) -> bool:
        part = self._slice(annotator, label)
        return part.stop > part.start

    def span_counts(self, annotator: int, label: int) -> np.ndarray:
        """Distinct ranges per document."""
        return np.bincount(self._document[self._slice(annotator, label)], minlength=self.n_documents)

    def ranges(self, annotator: int, label: int) -> tuple[np.ndarray, np.ndarray]:
        """Distinct (start, end) in joined code point offsets, sorted by start then end."""
        part = self._slice(annotator, label)
        return self._start[part], self._end[part]

    def range_keys(self, annotator: int, label: int) -> np.ndarray:
        """One integer per distinct range, equal for equal ranges of any owner."""
        start, end = self.ranges(annotator, label)
        return start * self._key_scale + end

    def merged(self, annotator: int, label: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The coverage as disjoint unit intervals ``(starts, ends, documents)``, sorted."""
        owner = annotator * self.n_labels + label
        if owner not in self._merged:
            part = self._slice(annotator, label)
            us, ue, doc = self._unit_start[part], self._unit_end[part], self._document[part]
            some = ue > us  # a span over whitespace only covers no unit
            us, ue, doc = us[some], ue[some], doc[some]
            if len(us):
                reach = np.maximum.accumulate(ue)
                first = np.ones(len(us), dtype=bool)
                first[1:] = us[1:] >= reach[:-1]  # touching intervals stay apart: never across documents
                heads = np.flatnonzero(first)
                tails = np.append(heads[1:] - 1, len(us) - 1)
                us, ue, doc = us[heads], reach[tails], doc[heads]
            self._merged[owner] = (us, ue, doc)
        return self._merged[owner]

    def covered(self, annotator: int, label: int) -> np.ndarray:
        """Units covered per document."""
        starts, ends, documents = self.merged(annotator, label)
        return _per_document(documents, ends - starts, self.n_documents)

    def covered_by_both(self, a: int, b: int, label: int) -> np.ndarray:
        """Units covered by both annotators per document (intersection of two disjoint unions)."""
        a_start, a_end, a_doc = self.merged(a, label)
        b_start, b_end, b_doc = self.merged(b, label)
        if not len(a_start) or not len(b_start):
            return np.zeros(self.n_documents, dtype=np.int64)
        position = np.concatenate((a_start, a_end, b_start, b_end))
        step = np.concatenate(
            (np.ones_like(a_start), -np.ones_like(a_end), np.ones_like(b_start), -np.ones_like(b_end))
        )
        documents = np.concatenate((a_doc, a_doc, b_doc, b_doc))
        order = np.lexsort((step, position))  # at one position ends before starts: depth stays <= 2
        position, step, documents = position[order], step[order], documents[order]
        depth = np.cumsum(step)[:-1]
        inside = depth == 2  # a depth-2 piece begins with a start event, so its document is right
        lengths = np.diff(position)[inside]
        return _per_document(documents[:-1][inside], lengths, self.n_documents)

    def shared(self, a: int, b: int) -> np.ndarray:
        """Per document: both annotators finished it."""
        return self.done_mask[:, a] & self.done_mask[:, b]


def _per_document(documents: np.ndarray, amounts: np.ndarray, n_documents: int) -> np.ndarray:
    """Integer sums of ``amounts`` by document (float weights are exact below 2**53)."""
    if not len(documents):
        return np.zeros(n_documents, dtype=np.int64)
    return np.rint(np.bincount(documents, weights=amounts, minlength=n_documents)).astype(np.int64)


def add_alpha(
    totals: AlphaCounts,
    chunk: Chunk,
    ones: np.ndarray,
    pairs: np.ndarray,
    any_ones: bool,
) -> None:
    """Add the chunk's pairable units (documents with two or more values) to the label's counts.

    ``ones`` per document: the number of 1 values over its units; ``pairs``: the sum over its units
    of ``k * (m - k)`` (``k`` ones of ``m`` values)."""
    values = chunk.values
    keep = (values >= 2) & (chunk.units > 0)
    ones_total = int(ones[keep].sum())
    totals.n1 += ones_total
    totals.n0 += int((values * chunk.units)[keep].sum()) - ones_total
    if not any_ones:
        return
    for value in sorted(set(values[keep].tolist())):
        amount = int(pairs[keep & (values == value)].sum())
        totals.disagreement[value] = totals.disagreement.get(value, 0) + amount


def document_alphas(chunk: Chunk, ones: np.ndarray, pairs: np.ndarray, any_ones: bool) -> list[AlphaCounts]:
    """Each document's own alpha counts (for per-document rows)."""
    out = []
    for m, units, k, disagreement in zip(
        chunk.values.tolist(), chunk.units.tolist(), ones.tolist(), pairs.tolist(), strict=True
    ):
        counts = AlphaCounts()
        if m >= 2 and units:
            counts.n1, counts.n0 = k, m * units - k
            if any_ones:
                counts.disagreement[m] = disagreement
        out.append(counts)
    return out


def add_kappa(
    totals: KappaCounts,
    a: np.ndarray | None,
    b: np.ndarray | None,
    both: np.ndarray | None,
    shared: np.ndarray,
    units: int,
) -> None:
    """Add the documents both finished (``shared``) to the pair's counts; ``a``, ``b`` and ``both``
    are covered units per document (None: no span)."""
    totals.units += units
    if a is not None:
        totals.a_ones += int(a[shared].sum())
    if b is not None:
        totals.b_ones += int(b[shared].sum())
    if both is not None:
        totals.both_ones += int(both[shared].sum())
