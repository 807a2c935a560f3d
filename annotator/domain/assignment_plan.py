"""Planning who annotates which document (issue 13): pure, reproducible from a seed.

Rules:
- every document to ``n`` annotators;
- ``sample_percent`` % of the documents to everyone (the agreement sample, flagged as such), the
  rest to ``n`` each (usually one).

Balanced by document length: the documents outside the sample go, longest first, to the ``n``
annotators with the least text so far (greedy longest-processing-time), so the annotators' totals
end within about one document's length of each other (the sample adds the same to everyone).
Ties (equal lengths, equal loads) are broken by an order drawn from ``seed``, and the sample is
drawn from it too: the same documents, people and seed give the same plan.

Work done is never taken away: ``worked`` pairs (document, annotator: spans or a status) stay in
the plan, count towards that document's ``n`` and towards the annotator's load.

Queue order: the sample's documents first (so agreement figures grow from the first day), then
the rest, each in the order the documents were given (the corpus order).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.domain.errors import AnnotatorError

# (document id, annotator id, position in the annotator's queue, part of the sample)
Row = tuple[int, int, int, bool]


@dataclass(frozen=True, slots=True)
class AnnotatorLoad:
    annotator_id: int
    documents: int
    length: int  # code points of text assigned
    sample: int  # of those documents, how many are in the agreement sample


@dataclass(frozen=True)
class Plan:
    rows: list[Row]
    sample: frozenset[int] = field(default_factory=frozenset)  # document ids of the agreement sample
    kept: int = 0  # rows kept because the annotator already worked on the document

    def loads(self, lengths: dict[int, int], annotators: Iterable[int] = ()) -> list[AnnotatorLoad]:
        """Per annotator (those given first, in order, then any other in the plan)."""
        docs: dict[int, int] = dict.fromkeys(annotators, 0)
        total = dict.fromkeys(docs, 0)
        sample = dict.fromkeys(docs, 0)
        for doc, ann, _position, in_sample in self.rows:
            docs[ann] = docs.get(ann, 0) + 1
            total[ann] = total.get(ann, 0) + lengths.get(doc, 0)
            sample[ann] = sample.get(ann, 0) + in_sample
        return [AnnotatorLoad(a, docs[a], total[a], sample[a]) for a in docs]


def plan_by_rule(
    documents: Sequence[tuple[int, int]],
    annotators: Sequence[int],
    *,
    n: int = 1,
    sample_percent: float = 0.0,
    seed: int = 0,
    worked: Iterable[tuple[int, int]] = (),
) -> Plan:
    """documents: (id, length) in corpus order; annotators: ids. See the module's notes."""
    people = list(dict.fromkeys(annotators))
    if not people:
        raise AnnotatorError("choose at least one annotator to assign documents to")
    if not 1 <= n <= len(people):
        raise AnnotatorError(f"--n must be between 1 and the number of annotators ({len(people)}), not {n}")
    if not 0 <= sample_percent <= 100:
        raise AnnotatorError(f"the sample percentage must be between 0 and 100, not {sample_percent:g}")
    rng = random.Random(seed)
    count = len(documents)
    order = list(range(count))
    rng.shuffle(order)
    sample_size = round(count * sample_percent / 100)
    in_sample = bytearray(count)
    for i in order[:sample_size]:
        in_sample[i] = 1
    index_of = {doc_id: i for i, (doc_id, _length) in enumerate(documents)}
    slot = {ann: k for k, ann in enumerate(people)}
    # Per document: the annotators who worked on it (any annotator: their work stays theirs).
    kept_by_doc: dict[int, list[int]] = {}
    for doc_id, ann in set(worked):
        i = index_of.get(doc_id)
        if i is not None:
            kept_by_doc.setdefault(i, []).append(ann)
    chosen: list[list[int]] = [[] for _ in range(count)]  # annotator ids per document index
    for i in order[:sample_size]:
        extra = [a for a in kept_by_doc.get(i, ()) if a not in slot]
        chosen[i] = [*people, *sorted(extra)]
    loads = [0] * len(people)
    longest_first = [-length for _doc, length in documents]
    rest = sorted(order[sample_size:], key=longest_first.__getitem__)  # stable: ties stay shuffled
    for i, kept in kept_by_doc.items():
        if in_sample[i]:
            continue
        if len(kept) > 1:
            kept.sort()
        chosen[i] = kept
        for ann in kept:
            k = slot.get(ann)
            if k is not None:
                loads[k] += documents[i][1]
    rank = list(range(len(people)))
    rng.shuffle(rank)
    heap = [(0, rank[k], k) for k in range(len(people))]
    _fill(heap, loads, rest, chosen, documents, people, slot, n)
    rows = _positions(documents, chosen, in_sample)
    kept_rows = sum(len(v) for v in kept_by_doc.values())
    sample_ids = frozenset(documents[i][0] for i in order[:sample_size])
    return Plan(rows, sample_ids, kept_rows)


def _fill(
    heap: list[tuple[int, int, int]],
    loads: list[int],
    rest: list[int],
    chosen: list[list[int]],
    documents: Sequence[tuple[int, int]],
    people: list[int],
    slot: dict[int, int],
    n: int,
) -> None:
    """Each document of ``rest`` (longest first) to the least-loaded annotators it still needs."""
    heap[:] = [(loads[k], r, k) for _load, r, k in heap]
    heapq.heapify(heap)
    for i in rest:
        have = chosen[i]
        if not have and n == 1:  # the common case, in one heap operation
            load, r, k = heap[0]
            heapq.heapreplace(heap, (load + documents[i][1], r, k))
            chosen[i] = [people[k]]
            continue
        need = n - sum(1 for a in have if a in slot)
        if need <= 0:
            continue
        length = documents[i][1]
        taken = {slot[a] for a in have if a in slot}
        popped: list[tuple[int, int, int]] = []
        picked: list[int] = []
        while len(picked) < need:
            entry = heapq.heappop(heap)
            if entry[2] in taken:
                popped.append(entry)
                continue
            picked.append(entry[2])
            popped.append((entry[0] + length, entry[1], entry[2]))
        for entry in popped:
            heapq.heappush(heap, entry)
        chosen[i] = [*have, *(people[k] for k in picked)]


def _positions(
    documents: Sequence[tuple[int, int]], chosen: list[list[int]], in_sample: bytearray
) -> list[Row]:
    """Positions per annotator: the sample first, then the rest, each in corpus order."""
    next_position: dict[int, int] = {}
    rows: list[Row] = []
    for wanted in (1, 0):
        for i, anns in enumerate(chosen):
            if in_sample[i] != wanted:
                continue
            doc_id = documents[i][0]
            for ann in anns:
                position = next_position.get(ann, 0)
                next_position[ann] = position + 1
                rows.append((doc_id, ann, position, bool(wanted)))
    return rows


def plan_by_hand(
    document_ids: Sequence[int],
    annotators: Sequence[int],
    *,
    next_position: dict[int, int] | None = None,
    already: Iterable[tuple[int, int]] = (),
) -> Plan:
    """Every given document to every given annotator (documents x people), appended to each
    annotator's queue after ``next_position[annotator]``; pairs ``already`` assigned are left
    as they are (not repeated)."""
    if not document_ids:
        raise AnnotatorError("choose at least one document to assign")
    if not annotators:
        raise AnnotatorError("choose at least one annotator to assign documents to")
    skip = set(already)
    positions = dict(next_position or {})
    rows: list[Row] = []
    for ann in dict.fromkeys(annotators):
        for doc in dict.fromkeys(document_ids):
            if (doc, ann) in skip:
                continue
            position = positions.get(ann, 0)
            positions[ann] = position + 1
            rows.append((doc, ann, position, False))
    return Plan(rows)
