"""Agreement figures against krippendorff, scikit-learn and scipy, hand-computed cases and edge cases."""

from __future__ import annotations

import json
import random
import sys

import pytest

from annotator.domain.agreement import AgreementDocument, compute_agreement, format_agreement_table
from annotator.domain.agreement_units import unit_prefix
from annotator.domain.records import SpanRecord
from annotator.domain.span_matching import max_exact_matching, max_overlap_matching
from tests.domain.agreement_reference import (
    random_corpus,
    reference_agreement,
    reference_overlap_matching,
)

TOLERANCE = 1e-6
LABELS = ["framing", "leverage", "economic outcome"]


def doc(uid: str, text: str, done: set[str], *spans: tuple[int, int, str, str]) -> AgreementDocument:
    return AgreementDocument(uid, text, frozenset(done), tuple(SpanRecord(*s) for s in spans))


def assert_matches_reference(result: dict, expected: dict) -> None:
    for key in ("annotators", "labels", "documents"):
        assert result[key] == expected[key]
    assert len(result["alpha"]) == len(expected["alpha"])
    for got, want in zip(result["alpha"], expected["alpha"], strict=True):
        assert (got["label"], got["units"]) == (want["label"], want["units"])
        assert_close(got["alpha"], want["alpha"], f"alpha {got['label']}")
        assert ("reason" in got) == (got["alpha"] is None)
    assert_close(result["overall_alpha"], expected["overall_alpha"], "overall alpha")
    assert len(result["pairs"]) == len(expected["pairs"])
    for got, want in zip(result["pairs"], expected["pairs"], strict=True):
        where = f"{got['a']}/{got['b']} {got['label']}"
        for key in ("a", "b", "label", "documents", "a_spans", "b_spans", "matched_exact", "matched_overlap"):
            assert got[key] == want[key], f"{where} {key}"
        for key in ("kappa", "f1_exact", "f1_overlap"):
            assert_close(got[key], want[key], f"{where} {key}")
        assert ("kappa_reason" in got) == (got["kappa"] is None)
        assert ("f1_reason" in got) == (got["f1_exact"] is None)


def assert_close(got: float | None, want: float | None, what: str) -> None:
    if want is None:
        assert got is None, f"{what}: expected null, got {got}"
    else:
        assert got is not None, f"{what}: expected {want}, got null"
        assert abs(got - want) <= TOLERANCE, f"{what}: {got} != {want}"


# --- against the reference implementations --------------------------------------------------------


@pytest.mark.parametrize("seed", range(30))
def test_random_corpora_match_reference_implementations(seed: int) -> None:
    annotators = ["alice", "bob", "carol"][: 2 + seed % 2]
    documents = random_corpus(seed, annotators, LABELS)
    result = compute_agreement(documents, annotators, LABELS)
    assert_matches_reference(result, reference_agreement(documents, annotators, LABELS))
    json.dumps(result, allow_nan=False)  # the CLI prints it as strict JSON


def test_random_corpora_exercise_defined_and_varied_figures() -> None:
    """Guard against a generator so degenerate that the comparison above proves little."""
    annotators = ["alice", "bob", "carol"]
    results = [compute_agreement(random_corpus(s, annotators, LABELS), annotators, LABELS) for s in range(30)]
    alphas = [row["alpha"] for r in results for row in r["alpha"] if row["alpha"] is not None]
    kappas = [row["kappa"] for r in results for row in r["pairs"] if row["kappa"] is not None]
    pairs = [row for r in results for row in r["pairs"]]
    assert len(alphas) > 50 and len({round(a, 6) for a in alphas}) > 40
    assert any(a < 0.5 for a in alphas) and any(a > 0.7 for a in alphas)
    assert len(kappas) > 100
    assert any(p["matched_overlap"] > p["matched_exact"] > 0 for p in pairs)


@pytest.mark.parametrize("seed", range(200))
def test_overlap_matching_is_maximum(seed: int) -> None:
    rng = random.Random(seed)
    length = rng.choice([10, 40, 200])

    def ranges(count: int) -> list[tuple[int, int]]:
        out = []
        for _ in range(count):
            start = rng.randrange(length)
            out.append((start, min(length, start + rng.randint(1, rng.choice([3, 10, 60])))))
        return sorted(set(out))

    a, b = ranges(rng.randint(0, 40)), ranges(rng.randint(0, 40))
    assert max_overlap_matching(a, b) == reference_overlap_matching(a, b)
    assert max_exact_matching(a, b) == len(set(a) & set(b))


def test_overlap_matching_on_a_large_cluster_uses_the_numpy_path() -> None:
    rng = random.Random(7)
    a = sorted({(s, s + rng.randint(1, 30)) for s in (rng.randrange(2000) for _ in range(300))})
    b = sorted({(s, s + rng.randint(1, 30)) for s in (rng.randrange(2000) for _ in range(300))})
    a.append((0, 2100))  # one span across everything merges all into one cluster
    assert max_overlap_matching(a, b) == reference_overlap_matching(a, b)


def test_overlap_matching_is_not_greedy() -> None:
    # Greedy in start order gives (0,10)->(0,3) and leaves (1,2) unmatched; the maximum is 2.
    assert max_overlap_matching([(0, 10), (1, 2)], [(0, 3), (5, 6)]) == 2
    # Touching ranges do not intersect (end-exclusive).
    assert max_overlap_matching([(0, 5)], [(5, 8)]) == 0


# --- hand-computed ----------------------------------------------------------------------------------


def test_hand_computed_two_annotators() -> None:
    # Units a b c d: alice 1 1 0 0, bob 1 1 1 0.
    # kappa: p_o = 3/4, p_e = (2*3 + 2*1)/16 = 1/2 -> 0.5.
    # alpha: n_1 = 5, n_0 = 3, o_01 = 1 -> 1 - 7 * 1 / 15 = 8/15.
    documents = [doc("d", "abcd", {"alice", "bob"}, (0, 2, "L", "alice"), (0, 3, "L", "bob"))]
    result = compute_agreement(documents, ["alice", "bob"], ["L"])
    assert result["documents"] == 1
    assert result["alpha"] == [{"label": "L", "alpha": pytest.approx(8 / 15, abs=1e-12), "units": 4}]
    assert result["overall_alpha"] == pytest.approx(8 / 15, abs=1e-12)
    [pair] = result["pairs"]
    assert pair["kappa"] == pytest.approx(0.5, abs=1e-12)
    assert (pair["f1_exact"], pair["f1_overlap"]) == (0.0, 1.0)
    assert (pair["a_spans"], pair["b_spans"], pair["matched_exact"], pair["matched_overlap"]) == (1, 1, 0, 1)


def test_whitespace_is_not_a_unit_and_offsets_are_code_points() -> None:
    # "😀 \u3000b\n": units are 😀 and b (2); alice covers both, bob only 😀.
    text = "😀 \u3000b\n"
    documents = [doc("d", text, {"alice", "bob"}, (0, 5, "L", "alice"), (0, 1, "L", "bob"))]
    result = compute_agreement(documents, ["alice", "bob"], ["L"])
    assert result["alpha"][0]["units"] == 2
    # alpha: units (1,1) and (1,0): n_1 = 3, n_0 = 1, o_01 = 1 -> 1 - 3 * 1 / 3 = 0.
    assert result["alpha"][0]["alpha"] == pytest.approx(0.0, abs=1e-12)
    # kappa: a = [1, 1], b = [1, 0] -> p_o = 1/2, p_e = 1/2 -> 0.
    assert result["pairs"][0]["kappa"] == pytest.approx(0.0, abs=1e-12)


def test_a_span_over_whitespace_only_still_counts_for_f1() -> None:
    documents = [doc("d", "a   b", {"alice", "bob"}, (1, 3, "L", "alice"), (2, 4, "L", "bob"))]
    [pair] = compute_agreement(documents, ["alice", "bob"], ["L"])["pairs"]
    assert (pair["f1_exact"], pair["f1_overlap"]) == (0.0, 1.0)
    assert pair["kappa"] is None and "no variation" in pair["kappa_reason"]


def test_unfinished_annotator_is_missing_not_zero() -> None:
    # carol has not finished d1: her spans are ignored and she has no values there.
    d1 = doc(
        "d1",
        "abcdef",
        {"alice", "bob"},
        (0, 3, "L", "alice"),
        (0, 3, "L", "bob"),
        (3, 6, "L", "carol"),
    )
    d2 = doc("d2", "ghij", {"alice", "carol"}, (0, 2, "L", "alice"), (0, 1, "L", "carol"))
    result = compute_agreement([d1, d2], ["alice", "bob", "carol"], ["L"])
    expected = reference_agreement([d1, d2], ["alice", "bob", "carol"], ["L"])
    assert_matches_reference(result, expected)
    # By hand: d1 pairs agree (1,1)x3, (0,0)x3; d2 (1,1), (1,0), (0,0), (0,0).
    # n_1 = 6 + 3 = 9, n_0 = 6 + 5 = 11, o_01 = 1 -> 1 - 19 / 99.
    assert result["alpha"][0]["alpha"] == pytest.approx(1 - 19 / 99, abs=1e-12)
    ac = next(p for p in result["pairs"] if (p["a"], p["b"]) == ("alice", "carol"))
    assert (ac["documents"], ac["a_spans"], ac["b_spans"]) == (1, 1, 1)
    bc = next(p for p in result["pairs"] if (p["a"], p["b"]) == ("bob", "carol"))
    assert bc["documents"] == 0 and bc["kappa"] is None and bc["f1_exact"] is None
    assert bc["kappa_reason"] == bc["f1_reason"] == "no documents finished by both annotators"


def test_documents_nobody_finished_are_not_counted() -> None:
    documents = [
        doc("a", "abc", {"alice", "bob"}, (0, 1, "L", "alice")),
        doc("b", "xyz", set(), (0, 3, "L", "alice")),
        doc("c", "xyz", {"gold"}, (0, 3, "L", "gold")),
    ]
    result = compute_agreement(documents, ["alice", "bob"], ["L"])
    assert result["documents"] == 1
    assert result["alpha"][0]["units"] == 3


# --- undefined figures -------------------------------------------------------------------------------


def test_no_variation_is_null_with_a_reason_never_one() -> None:
    # Both mark everything: perfect agreement, but no variation, so alpha and kappa are undefined.
    documents = [doc("d", "ab cd", {"alice", "bob"}, (0, 5, "L", "alice"), (0, 5, "L", "bob"))]
    result = compute_agreement(documents, ["alice", "bob"], ["L", "unused"])
    full, unused = result["alpha"]
    assert full["alpha"] is None and full["reason"].startswith("no variation")
    assert unused["alpha"] is None and unused["reason"].startswith("no variation")
    assert result["overall_alpha"] is None
    p_full, p_unused = result["pairs"]
    assert p_full["kappa"] is None and p_full["kappa_reason"].startswith("no variation")
    assert (p_full["f1_exact"], p_full["f1_overlap"]) == (1.0, 1.0)
    assert p_unused["kappa"] is None and p_unused["f1_exact"] is None and p_unused["f1_overlap"] is None
    assert p_unused["f1_reason"] == "no spans with this label from either annotator"


def test_one_side_without_spans_gives_f1_zero() -> None:
    documents = [doc("d", "abcd", {"alice", "bob"}, (0, 2, "L", "alice"))]
    [pair] = compute_agreement(documents, ["alice", "bob"], ["L"])["pairs"]
    assert (pair["f1_exact"], pair["f1_overlap"]) == (0.0, 0.0)
    assert pair["kappa"] == pytest.approx(0.0, abs=1e-12)


def test_single_annotator_has_no_pairs_and_no_alpha() -> None:
    documents = [doc("d", "abcd", {"alice"}, (0, 2, "L", "alice"))]
    result = compute_agreement(documents, ["alice"], ["L"])
    assert result["pairs"] == []
    assert result["alpha"][0]["alpha"] is None
    assert "two or more annotators" in result["alpha"][0]["reason"]
    assert result["overall_alpha"] is None


def test_annotator_with_no_finished_documents() -> None:
    documents = [
        doc("d", "abcd", {"alice", "bob"}, (0, 2, "L", "alice"), (1, 2, "L", "bob"), (0, 4, "L", "dave"))
    ]
    result = compute_agreement(documents, ["alice", "bob", "dave"], ["L"])
    assert_matches_reference(result, reference_agreement(documents, ["alice", "bob", "dave"], ["L"]))
    with_dave = [p for p in result["pairs"] if "dave" in (p["a"], p["b"])]
    assert len(with_dave) == 2
    assert all(p["documents"] == 0 and p["kappa"] is None and p["b_spans"] == 0 for p in with_dave)


def test_no_documents_at_all() -> None:
    result = compute_agreement([], ["alice", "bob"], ["L"])
    assert result["documents"] == 0
    assert result["alpha"] == [
        {"label": "L", "alpha": None, "units": 0, "reason": result["alpha"][0]["reason"]}
    ]
    assert result["pairs"][0]["kappa_reason"] == "no documents finished by both annotators"


def test_unknown_labels_and_annotators_are_ignored_and_bad_offsets_raise() -> None:
    base = [doc("d", "abcd", {"alice", "bob"}, (0, 2, "L", "alice"), (0, 3, "L", "bob"))]
    noisy = [
        doc(
            "d",
            "abcd",
            {"alice", "bob", "eve"},
            (0, 2, "L", "alice"),
            (0, 3, "L", "bob"),
            (0, 4, "other", "alice"),
            (2, 4, "L", "eve"),
        )
    ]
    assert compute_agreement(noisy, ["alice", "bob"], ["L"]) == compute_agreement(
        base, ["alice", "bob"], ["L"]
    )
    with pytest.raises(ValueError, match="outside its text"):
        compute_agreement([doc("d", "ab", {"alice"}, (1, 3, "L", "alice"))], ["alice"], ["L"])


# --- units, per-document figures and the table ---------------------------------------------------------


def test_unit_prefix_agrees_with_str_isspace_over_all_of_unicode() -> None:
    text = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    prefix = unit_prefix(text)
    assert int(prefix[-1]) == sum(not ch.isspace() for ch in text)
    sample = "\ufeff a\u0301 😀\u2028北\r\n\x1c\x85z"
    assert unit_prefix(sample).tolist() == [0] + [
        sum(not ch.isspace() for ch in sample[:p]) for p in range(1, len(sample) + 1)
    ]


def test_per_document_rows() -> None:
    documents = random_corpus(3, ["alice", "bob"], LABELS)
    result = compute_agreement(documents, ["alice", "bob"], LABELS, per_document=True)
    counted = [d for d in documents if d.done_by & {"alice", "bob"}]
    assert len(result["per_document"]) == len(counted) * len(LABELS)
    for row in result["per_document"]:
        [document] = [d for d in documents if d.uid == row["document"]]
        alone = compute_agreement([document], ["alice", "bob"], [row["label"]])
        assert row["alpha"] == alone["alpha"][0]["alpha"]
        assert row["units"] == alone["alpha"][0]["units"]
        assert row["annotators"] == [a for a in ("alice", "bob") if a in document.done_by]
    assert "per_document" not in compute_agreement(documents, ["alice", "bob"], LABELS)


def test_table_shows_figures_and_reasons() -> None:
    documents = [doc("d", "abcd", {"alice", "bob"}, (0, 2, "L", "alice"), (0, 3, "L", "bob"))]
    table = format_agreement_table(compute_agreement(documents, ["alice", "bob"], ["L", "M"]))
    assert "0.533" in table and "0.500" in table
    assert "alice / bob" in table
    assert "no spans with this label from either annotator" in table
