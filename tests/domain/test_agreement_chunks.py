"""The chunked agreement (documents laid end to end, issue 16) gives today's numbers: compared to the
per-document implementation it replaced (agreement_before.py) on seeded random projects."""

from __future__ import annotations

import pytest

from annotator.domain import agreement
from annotator.domain.agreement import compute_agreement
from tests.domain import agreement_before
from tests.domain.agreement_reference import random_corpus

LABELS = ["framing", "leverage", "economic outcome"]


def assert_same(new: object, old: object, where: str = "") -> None:
    """Equal, floats to 1e-9."""
    if isinstance(old, float) and isinstance(new, float):
        assert abs(new - old) <= 1e-9, f"{where}: {new} != {old}"
    elif isinstance(old, dict) and isinstance(new, dict):
        assert list(new) == list(old), f"{where}: keys {list(new)} != {list(old)}"
        for key in old:
            assert_same(new[key], old[key], f"{where}.{key}")
    elif isinstance(old, list) and isinstance(new, list):
        assert len(new) == len(old), f"{where}: {len(new)} items != {len(old)}"
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    else:
        assert new == old, f"{where}: {new!r} != {old!r}"


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("chunk_characters", [1, 300, 1_000_000])
def test_chunked_agreement_equals_the_per_document_one(
    seed: int, chunk_characters: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of one document, of a few, and of the whole project."""
    monkeypatch.setattr(agreement, "CHUNK_CHARACTERS", chunk_characters)
    annotators = ["alice", "bob", "carol"][: 2 + seed % 2]
    documents = random_corpus(seed, annotators, LABELS, n_documents=40)
    for per_document in (False, True):
        old = agreement_before.compute_agreement(documents, annotators, LABELS, per_document=per_document)
        new = compute_agreement(iter(documents), annotators, LABELS, per_document=per_document)
        assert_same(new, old)


def test_a_document_with_no_units_between_others_changes_nothing() -> None:
    """Empty and whitespace-only texts in the middle of a chunk (zero-unit segments)."""
    documents = random_corpus(3, ["alice", "bob"], LABELS, n_documents=60)
    assert any(not d.text.strip() for d in documents)
    old = agreement_before.compute_agreement(documents, ["alice", "bob"], LABELS, per_document=True)
    assert_same(compute_agreement(documents, ["alice", "bob"], LABELS, per_document=True), old)
