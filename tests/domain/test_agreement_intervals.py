"""Agreement by interval arithmetic (issue 16) gives the per-unit implementation's numbers
(agreement_before.py) on larger and nastier corpora than test_agreement_chunks.py: CRLF, emoji, CJK
and combining texts; dense, nested, crossing and duplicate spans (clusters that need Hopcroft-Karp);
spans touching the ends of their document next to spans of the neighbouring one; spans over
whitespace only; empty and whitespace-only documents in between."""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest

from annotator.domain import agreement
from annotator.domain.agreement import AgreementDocument, compute_agreement
from annotator.domain.agreement_units import space_positions, unit_prefix
from annotator.domain.records import SpanRecord
from annotator.domain.span_matching import max_overlap_matching, overlap_matching_total
from tests.domain import agreement_before
from tests.domain.agreement_reference import random_corpus, random_text
from tests.domain.test_agreement_chunks import assert_same

LABELS = ["framing", "leverage", "economic outcome"]
ANNOTATORS = ["alice", "bob", "carol", "dave"]


def dense_corpus(seed: int, n_documents: int) -> list[AgreementDocument]:
    """Documents packed with spans: many per annotator, crossing and nested, at both ends."""
    rng = random.Random(seed)
    documents = []
    for d in range(n_documents):
        kind = rng.random()
        if kind < 0.04:
            text = ""
        elif kind < 0.08:
            text = rng.choice([" \r\n\t ", "\u3000\u2028\n", "\r\n\r\n"])
        else:
            text = random_text(rng, rng.randint(1, 40))
        n = len(text)
        done = frozenset(a for a in [*ANNOTATORS, "stranger"] if rng.random() < 0.8)
        spans = []
        for annotator in [*ANNOTATORS, "stranger"]:
            if not n or rng.random() < 0.1:
                continue
            for _ in range(rng.randint(0, max(1, n // 4))):
                r = rng.random()
                if r < 0.15:
                    start, end = 0, rng.randint(1, n)  # from the start of the document
                elif r < 0.3:
                    start, end = rng.randrange(n), n  # to its end
                elif r < 0.35:
                    start, end = 0, n
                else:
                    start = rng.randrange(n)
                    end = min(n, start + rng.randint(1, 12))
                label = rng.choice([*LABELS, "not-a-label"]) if rng.random() < 0.1 else rng.choice(LABELS)
                spans.append(SpanRecord(start, end, label, annotator))
                if rng.random() < 0.1:
                    spans.append(SpanRecord(start, end, label, annotator))  # twice: counts once
            whitespace = [p for p, c in enumerate(text) if c.isspace()]
            if whitespace and rng.random() < 0.3:  # a span over whitespace only: no unit, still a span
                p = rng.choice(whitespace)
                spans.append(SpanRecord(p, p + 1, rng.choice(LABELS), annotator))
        rng.shuffle(spans)
        documents.append(AgreementDocument(f"dense-{d}", text, done, tuple(spans)))
    return documents


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("chunk_characters", [1, 700, 1_000_000])
def test_dense_corpora_give_the_per_unit_numbers(
    seed: int, chunk_characters: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agreement, "CHUNK_CHARACTERS", chunk_characters)
    documents = dense_corpus(seed, 80)
    annotators = ANNOTATORS[: 2 + seed % 3]
    for per_document in (False, True):
        old = agreement_before.compute_agreement(documents, annotators, LABELS, per_document=per_document)
        new = compute_agreement(iter(documents), annotators, LABELS, per_document=per_document)
        assert_same(new, old)


def test_a_large_random_corpus_gives_the_per_unit_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """1,500 documents over several chunks and batches (500 documents each)."""
    monkeypatch.setattr(agreement, "CHUNK_CHARACTERS", 20_000)
    documents = random_corpus(99, ANNOTATORS[:3], LABELS, n_documents=1500, max_words=150)
    assert sum(len(d.text) for d in documents) > 5 * 20_000
    old = agreement_before.compute_agreement(documents, ANNOTATORS[:3], LABELS, per_document=True)
    assert_same(compute_agreement(documents, ANNOTATORS[:3], LABELS, per_document=True), old)


def test_crowded_clusters_go_through_the_exact_matching() -> None:
    """Clusters with two or more ranges on both sides: the sum over documents laid end to end is the
    sum of each document's maximum matching."""
    rng = random.Random(7)
    a_start, a_end, b_start, b_end, expected, base = [], [], [], [], 0, 0
    for _ in range(200):
        n = rng.randint(1, 60)
        a = {
            (s, min(n, s + rng.randint(1, 20))) for s in (rng.randrange(n) for _ in range(rng.randint(0, 8)))
        }
        b = {
            (s, min(n, s + rng.randint(1, 20))) for s in (rng.randrange(n) for _ in range(rng.randint(0, 8)))
        }
        expected += max_overlap_matching(a, b)
        for (s, e), starts, ends in [(x, a_start, a_end) for x in sorted(a)] + [
            (x, b_start, b_end) for x in sorted(b)
        ]:
            starts.append(base + s)
            ends.append(base + e)
        base += n
    arrays = [np.asarray(x, dtype=np.int64) for x in (a_start, a_end, b_start, b_end)]
    assert overlap_matching_total(*arrays) == expected > 0


@pytest.mark.parametrize("surrogates", [False, True])
def test_space_positions_agree_with_str_isspace_over_all_of_unicode(surrogates: bool) -> None:
    text = "".join(chr(c) for c in range(sys.maxunicode + 1) if surrogates or not 0xD800 <= c <= 0xDFFF)
    expected = [p for p, c in enumerate(text) if c.isspace()]
    assert space_positions(text).tolist() == expected
    assert space_positions("a \r\nb\x1c\x85").tolist() == [1, 2, 3, 5, 6]  # the ASCII path
    assert space_positions("").tolist() == []
    sample = "\ufeff a\u0301 😀\u2028北\r\n\x1c\x85z"
    assert unit_prefix(sample).tolist() == [0] + [
        sum(not ch.isspace() for ch in sample[:p]) for p in range(1, len(sample) + 1)
    ]
