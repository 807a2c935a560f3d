"""Issue 13: the assignment planner (rules, balance by length, seed, keeping work done, speed)."""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict

import pytest

from annotator.domain.assignment_plan import plan_by_hand, plan_by_rule
from annotator.domain.errors import AnnotatorError


def corpus(count: int, seed: int = 1) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(i + 100, rng.randint(50, 5000)) for i in range(count)]


def per_document(rows: list[tuple[int, int, int, bool]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for doc, ann, _position, _sample in rows:
        out[doc].append(ann)
    return out


@pytest.mark.parametrize("n", [1, 2, 3])
def test_every_document_goes_to_n_distinct_annotators_balanced_by_length(n: int) -> None:
    docs = corpus(2000)
    plan = plan_by_rule(docs, [1, 2, 3, 4, 5], n=n, seed=7)
    assigned = per_document(plan.rows)
    assert set(assigned) == {d for d, _ in docs}
    assert all(len(anns) == n == len(set(anns)) for anns in assigned.values())
    loads = [x.length for x in plan.loads(dict(docs), [1, 2, 3, 4, 5])]
    assert sum(loads) == n * sum(length for _d, length in docs)
    assert max(loads) - min(loads) <= max(length for _d, length in docs)  # within one document


def test_the_sample_goes_to_everyone_flagged_and_the_rest_to_one_each() -> None:
    docs = corpus(1000)
    plan = plan_by_rule(docs, [1, 2, 3, 4], n=1, sample_percent=10, seed=3)
    assert len(plan.sample) == 100
    assigned = per_document(plan.rows)
    for doc, anns in assigned.items():
        assert sorted(anns) == ([1, 2, 3, 4] if doc in plan.sample else anns) and len(anns) in (1, 4)
        assert (len(anns) == 4) == (doc in plan.sample)
    flags = {(d, a): s for d, a, _p, s in plan.rows}
    assert all(flags[(d, a)] == (d in plan.sample) for d, a in flags)
    # Queue order: the sample first, then the rest, each in corpus order; positions 0..k-1.
    order = [d for d, _ in docs]
    for ann in (1, 2, 3, 4):
        mine = sorted((p, d, s) for d, a, p, s in plan.rows if a == ann)
        assert [p for p, _d, _s in mine] == list(range(len(mine)))
        flags_in_order = [s for _p, _d, s in mine]
        assert flags_in_order == sorted(flags_in_order, reverse=True)
        sample_docs = [d for _p, d, s in mine if s]
        assert sample_docs == sorted(sample_docs, key=order.index)


def test_the_same_seed_gives_the_same_plan_another_seed_another() -> None:
    docs = corpus(500)
    a = plan_by_rule(docs, [1, 2, 3], n=1, sample_percent=20, seed=11)
    b = plan_by_rule(docs, [1, 2, 3], n=1, sample_percent=20, seed=11)
    c = plan_by_rule(docs, [1, 2, 3], n=1, sample_percent=20, seed=12)
    assert a == b
    assert a.sample != c.sample


def test_replanning_keeps_work_done_with_who_did_it() -> None:
    docs = corpus(300)
    first = plan_by_rule(docs, [1, 2, 3], n=1, seed=1)
    worked = [(d, a) for d, a, p, _s in first.rows if p < 5]  # each did their first five
    worked.append((docs[0][0], 9))  # someone no longer on the team
    again = plan_by_rule(docs, [1, 2, 3, 4], n=2, sample_percent=10, seed=99, worked=worked)
    pairs = {(d, a) for d, a, _p, _s in again.rows}
    assert set(worked) <= pairs
    assert again.kept == len(worked)
    assigned = per_document(again.rows)
    for doc, anns in assigned.items():
        team = [a for a in anns if a != 9]
        assert len(team) == (4 if doc in again.sample else 2), (doc, anns)


def test_bad_requests_are_refused_with_what_is_wrong() -> None:
    docs = corpus(10)
    with pytest.raises(AnnotatorError, match="between 1 and the number of annotators"):
        plan_by_rule(docs, [1, 2], n=3)
    with pytest.raises(AnnotatorError, match="between 0 and 100"):
        plan_by_rule(docs, [1, 2], sample_percent=120)
    with pytest.raises(AnnotatorError, match="at least one annotator"):
        plan_by_rule(docs, [])
    with pytest.raises(AnnotatorError, match="at least one document"):
        plan_by_hand([], [1])


def test_by_hand_is_documents_times_people_appended_to_each_queue() -> None:
    plan = plan_by_hand([5, 6, 5], [1, 2], next_position={1: 3}, already=[(6, 2)])
    assert sorted(plan.rows) == [(5, 1, 3, False), (5, 2, 0, False), (6, 1, 4, False)]


def test_planning_100000_documents_takes_under_five_seconds() -> None:
    docs = corpus(100_000, seed=5)
    start = time.perf_counter()
    plan = plan_by_rule(docs, list(range(1, 21)), n=1, sample_percent=5, seed=1)
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, elapsed
    counts = Counter(a for _d, a, _p, _s in plan.rows)
    assert len(counts) == 20 and len(plan.rows) == 95_000 + 5_000 * 20
