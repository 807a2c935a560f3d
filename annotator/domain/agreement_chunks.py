"""The unit arithmetic of agreement over a chunk of documents at once (DESIGN.md section 6).

The documents of a chunk are laid end to end: one text, one unit prefix (agreement_units.py), and
per annotator and label one coverage array over all their units, so numpy runs a few calls per chunk
instead of a dozen per document and label (10,000 documents: 15 s of per-call overhead). Spans never
cross their document, so a coverage built over the joined units is each document's coverage side by
side. Every count is an integer sum, the same integers the per-document sums gave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator.domain.agreement_units import AlphaCounts, KappaCounts, unit_prefix

Ranges = dict[int, dict[int, set[tuple[int, int]]]]  # annotator -> label -> {(start, end)}
LABEL_SLOTS = 1 << 20  # owner key of a range: annotator * LABEL_SLOTS + label


@dataclass(slots=True)
class ChunkDocument:
    """A counted document: its text, who finished it, and their deduplicated ranges."""

    uid: str
    text: str
    done: list[int]  # indices of the annotators who finished it, in annotator order
    ranges: Ranges


class Chunk:
    """Documents laid end to end in unit coordinates."""

    def __init__(self, documents: Sequence[ChunkDocument]) -> None:
        self.documents = documents
        lengths = np.fromiter((len(d.text) for d in documents), dtype=np.int64, count=len(documents))
        self.char_base = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(documents) else lengths
        self.prefix = unit_prefix("".join(d.text for d in documents))
        unit_bounds = self.prefix[np.concatenate((self.char_base, [int(lengths.sum())]))]
        self.unit_base = unit_bounds[:-1]
        self.units = np.diff(unit_bounds)  # units per document
        self.total_units = int(self.prefix[-1])
        # Every range of the chunk once, flat: (annotator, label, start, end) in joined offsets.
        owners: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for document, base in zip(documents, self.char_base.tolist(), strict=True):
            for annotator, by_label in document.ranges.items():
                for label, spans in by_label.items():
                    owners.extend([annotator * LABEL_SLOTS + label] * len(spans))
                    starts.extend(base + s for s, _ in spans)
                    ends.extend(base + e for _, e in spans)
        self._owner = np.asarray(owners, dtype=np.int64)
        self._unit_start = self.prefix[np.asarray(starts, dtype=np.int64)]
        self._unit_end = self.prefix[np.asarray(ends, dtype=np.int64)]

    def per_unit(self, per_document: np.ndarray) -> np.ndarray:
        """A value per document spread over that document's units."""
        return np.repeat(per_document, self.units)

    def coverage(self, annotator: int, label: int) -> np.ndarray | None:
        """Boolean per unit: covered by one of the annotator's spans with this label; None if none."""
        mine = self._owner == annotator * LABEL_SLOTS + label
        if not mine.any():
            return None
        n = self.total_units
        diff = np.bincount(self._unit_start[mine], minlength=n + 1) - np.bincount(
            self._unit_end[mine], minlength=n + 1
        )
        return np.cumsum(diff[:n]) > 0

    def segment_sums(self, values: np.ndarray) -> np.ndarray:
        """The sum of ``values`` (one per unit) over each document's units."""
        if not len(values):
            return np.zeros(len(self.documents), dtype=np.int64)
        sums = np.add.reduceat(values, np.minimum(self.unit_base, len(values) - 1))
        return np.where(self.units > 0, sums, 0)


def alpha_sums(chunk: Chunk, ones: np.ndarray | None, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per document: the number of 1 values, and the sum over its units of ``k * (m - k)`` (``k``
    ones of ``m`` values); ``ones`` per unit (None: all zero), ``values`` per unit."""
    if ones is None:
        zeros = np.zeros(len(chunk.documents), dtype=np.int64)
        return zeros, zeros
    return chunk.segment_sums(ones), chunk.segment_sums(ones * (values - ones))


def add_alpha(
    totals: AlphaCounts,
    chunk: Chunk,
    values_per_document: np.ndarray,
    sums: tuple[np.ndarray, np.ndarray],
    any_ones: bool,
) -> None:
    """Add the chunk's pairable units (documents with two or more values) to the label's counts."""
    ones, pairs = sums
    keep = (values_per_document >= 2) & (chunk.units > 0)
    ones_total = int(ones[keep].sum())
    totals.n1 += ones_total
    totals.n0 += int((values_per_document * chunk.units)[keep].sum()) - ones_total
    if not any_ones:
        return
    for value in sorted(set(values_per_document[keep].tolist())):
        amount = int(pairs[keep & (values_per_document == value)].sum())
        totals.disagreement[value] = totals.disagreement.get(value, 0) + amount


def document_alphas(
    chunk: Chunk, values_per_document: np.ndarray, sums: tuple[np.ndarray, np.ndarray], any_ones: bool
) -> list[AlphaCounts]:
    """Each document's own alpha counts (for per-document rows)."""
    out = []
    for m, units, k, pairs in zip(
        values_per_document.tolist(),
        chunk.units.tolist(),
        sums[0].tolist(),
        sums[1].tolist(),
        strict=True,
    ):
        counts = AlphaCounts()
        if m >= 2 and units:
            counts.n1, counts.n0 = k, m * units - k
            if any_ones:
                counts.disagreement[m] = pairs
        out.append(counts)
    return out


def add_kappa(
    totals: KappaCounts, a: np.ndarray | None, b: np.ndarray | None, shared: np.ndarray, units: int
) -> None:
    """Add the units of the documents both finished (``shared``, per unit) to the pair's counts."""
    totals.units += units
    a_in = a & shared if a is not None else None
    b_in = b & shared if b is not None else None
    if a_in is not None:
        totals.a_ones += int(np.count_nonzero(a_in))
    if b_in is not None:
        totals.b_ones += int(np.count_nonzero(b_in))
    if a_in is not None and b_in is not None:
        totals.both_ones += int(np.count_nonzero(a_in & b_in))
