"""Agreement on document labels, documents as units: hand-computed figures (and the reference
implementations, krippendorff and scikit-learn, where they apply)."""

from __future__ import annotations

import pytest

from annotator.domain.agreement_documents import document_label_agreement, fleiss_kappa

ALL = frozenset({"a", "b", "c"})
# Label X: doc1 all three, doc2 a and b, doc3 nobody, doc4 only a; doc5 finished by a alone (with X),
# doc6 finished by nobody but labelled by b (not counted: not finished).
DONE = {"1": ALL, "2": ALL, "3": ALL, "4": ALL, "5": frozenset({"a"})}
GIVEN = {
    ("1", "a"): frozenset({"X"}),
    ("1", "b"): frozenset({"X"}),
    ("1", "c"): frozenset({"X"}),
    ("2", "a"): frozenset({"X"}),
    ("2", "b"): frozenset({"X"}),
    ("4", "a"): frozenset({"X"}),
    ("5", "a"): frozenset({"X"}),
    ("6", "b"): frozenset({"X"}),
}


def test_hand_computed_alpha_fleiss_and_cohen() -> None:
    result = document_label_agreement(DONE, GIVEN, ["a", "b", "c"], ["X"])
    # 12 values (4 documents x 3), six of them 1; doc2 and doc4 each add k(m-k)/(m-1) = 2/2 = 1 to
    # o_01: alpha = 1 - (n - 1) o_01 / (n_0 n_1) = 1 - 11 * 2 / 36 = 7/18.
    [alpha] = result["alpha"]
    assert alpha["alpha"] == pytest.approx(7 / 18) and alpha["documents"] == 4
    # Fleiss: P_i = 1, 1/3, 1, 1/3 -> P = 2/3; p_1 = 6/12 -> P_e = 1/2; kappa = (2/3 - 1/2) / (1/2) = 1/3.
    [fleiss] = result["fleiss"]
    assert fleiss["kappa"] == pytest.approx(1 / 3) and fleiss["documents"] == 4
    pairs = {(r["a"], r["b"]): r for r in result["pairs"]}
    # a = 1,1,0,1 and b = 1,1,0,0 on the four shared documents: p_o = 3/4, p_e = 3/4*1/2 + 1/4*1/2.
    assert pairs[("a", "b")]["kappa"] == pytest.approx(0.5) and pairs[("a", "b")]["documents"] == 4
    # b = 1,1,0,0 and c = 1,0,0,0: p_o = 3/4, p_e = 1/2*1/4 + 1/2*3/4 = 1/2 -> 1/2.
    assert pairs[("b", "c")]["kappa"] == pytest.approx(0.5)


def test_against_the_reference_implementations() -> None:
    krippendorff = pytest.importorskip("krippendorff")
    metrics = pytest.importorskip("sklearn.metrics")
    import numpy as np

    result = document_label_agreement(DONE, GIVEN, ["a", "b", "c"], ["X"])
    docs = sorted(DONE)
    table = np.array(
        [
            [float("X" in GIVEN.get((d, who), frozenset())) if who in DONE[d] else np.nan for d in docs]
            for who in ("a", "b", "c")
        ]
    )
    expected = krippendorff.alpha(reliability_data=table, level_of_measurement="nominal")
    assert result["alpha"][0]["alpha"] == pytest.approx(expected)
    shared = [i for i, d in enumerate(docs) if {"a", "c"} <= DONE[d]]
    kappa = metrics.cohen_kappa_score(table[0, shared], table[2, shared])
    pairs = {(r["a"], r["b"]): r["kappa"] for r in result["pairs"]}
    assert pairs[("a", "c")] == pytest.approx(kappa)


def test_undefined_figures_are_none_with_a_reason() -> None:
    result = document_label_agreement({"1": ALL}, {}, ["a", "b", "c"], ["X"])
    assert result["alpha"][0]["alpha"] is None and "no variation" in result["alpha"][0]["reason"]
    assert result["fleiss"][0]["kappa"] is None and "no variation" in result["fleiss"][0]["reason"]
    result = document_label_agreement({"1": frozenset({"a"})}, {}, ["a", "b"], ["X"])
    assert result["alpha"][0]["alpha"] is None
    assert result["pairs"][0]["kappa"] is None and "both" in result["pairs"][0]["kappa_reason"]
    assert fleiss_kappa([], 3) == (None, "no document finished by every annotator")
