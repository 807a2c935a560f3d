"""A straightforward, loop-per-character reference of DESIGN.md section 6 built on krippendorff,
scikit-learn and scipy (test-only dependencies), for checking ``annotator.domain.agreement``."""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Sequence
from itertools import combinations

import krippendorff
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching
from sklearn.metrics import cohen_kappa_score

from annotator.domain.agreement import AgreementDocument
from annotator.domain.records import SpanRecord


def reference_alpha(values: list[list[float]]) -> float | None:
    """Krippendorff's nominal alpha over rows of annotators; None where the library cannot define it."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:  # one value in the domain, or no unit with two values
        return None
    return None if math.isnan(value) else value


def reference_kappa(a: list[int], b: list[int]) -> float | None:
    if not a:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = float(cohen_kappa_score(a, b))
    return None if math.isnan(value) else value


def reference_overlap_matching(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    if not a or not b:
        return 0
    rows, cols = [], []
    for i, (sa, ea) in enumerate(a):
        for j, (sb, eb) in enumerate(b):
            if sa < eb and sb < ea:
                rows.append(i)
                cols.append(j)
    if not rows:
        return 0
    graph = csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(a), len(b)))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def reference_agreement(
    documents: Sequence[AgreementDocument], annotators: Sequence[str], labels: Sequence[str]
) -> dict:
    """The same object as ``compute_agreement`` (without reasons), computed the obvious way."""
    counted = [d for d in documents if any(a in d.done_by for a in annotators)]

    def spans_of(doc: AgreementDocument, annotator: str, label: str) -> list[tuple[int, int]]:
        if annotator not in doc.done_by:
            return []
        return sorted({(s.start, s.end) for s in doc.spans if s.annotator == annotator and s.label == label})

    def values(doc: AgreementDocument, annotator: str, label: str) -> list[int]:
        covered = [0] * len(doc.text)
        for start, end in spans_of(doc, annotator, label):
            for p in range(start, end):
                covered[p] = 1
        return [covered[p] for p, ch in enumerate(doc.text) if not ch.isspace()]

    alpha = []
    for label in labels:
        rows: list[list[float]] = [[] for _ in annotators]
        for doc in counted:
            n_units = sum(not ch.isspace() for ch in doc.text)
            for row, annotator in zip(rows, annotators, strict=True):
                if annotator in doc.done_by:
                    row.extend(values(doc, annotator, label))
                else:
                    row.extend([math.nan] * n_units)
        units = len(rows[0]) if rows else 0
        alpha.append({"label": label, "alpha": reference_alpha(rows), "units": units})

    pairs = []
    for a, b in combinations(list(annotators), 2):
        shared = [d for d in counted if a in d.done_by and b in d.done_by]
        for label in labels:
            va: list[int] = []
            vb: list[int] = []
            a_spans = b_spans = exact = overlap = 0
            for doc in shared:
                va.extend(values(doc, a, label))
                vb.extend(values(doc, b, label))
                sa, sb = spans_of(doc, a, label), spans_of(doc, b, label)
                a_spans += len(sa)
                b_spans += len(sb)
                exact += len(set(sa) & set(sb))
                overlap += reference_overlap_matching(sa, sb)
            total = a_spans + b_spans
            defined = bool(shared) and total > 0
            pairs.append(
                {
                    "a": a,
                    "b": b,
                    "label": label,
                    "documents": len(shared),
                    "kappa": reference_kappa(va, vb) if shared else None,
                    "f1_exact": 2 * exact / total if defined else None,
                    "f1_overlap": 2 * overlap / total if defined else None,
                    "a_spans": a_spans,
                    "b_spans": b_spans,
                    "matched_exact": exact,
                    "matched_overlap": overlap,
                }
            )
    defined_alphas = [row["alpha"] for row in alpha if row["alpha"] is not None]
    return {
        "annotators": list(annotators),
        "labels": list(labels),
        "documents": len(counted),
        "alpha": alpha,
        "overall_alpha": sum(defined_alphas) / len(defined_alphas) if defined_alphas else None,
        "pairs": pairs,
    }


# --- random corpora -------------------------------------------------------------------------------

_WORDS = [
    "Putin",
    "visit",
    "economy",
    "leverage",
    "sanctions",
    "😀",
    "👩‍👩‍👧",
    "北京",
    "経済制裁",
    "café",
    "cafe\u0301",  # combining acute accent
    "naïve",
    "שלום",
    "x̸̢",
    "\ufeffbom",
    "-",
    ",",
]
_GAPS = [" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u3000", "\xa0", "\u2028", " \r\n", "\u2003"]


def random_text(rng: random.Random, words: int) -> str:
    parts = []
    for _ in range(words):
        parts.append(rng.choice(_WORDS))
        parts.append(rng.choice(_GAPS) if rng.random() > 0.05 else "\n\n\n   \t  \n")
    return "".join(parts)


def random_corpus(
    seed: int,
    annotators: Sequence[str],
    labels: Sequence[str],
    n_documents: int = 12,
    max_words: int = 60,
) -> list[AgreementDocument]:
    """Documents whose annotators diverge from a hidden truth: missed, relabelled, shifted, spurious and
    nested spans; unfinished and untouched documents; whitespace-only and empty texts; stray
    annotators and labels that must be ignored."""
    rng = random.Random(seed)
    documents = []
    for d in range(n_documents):
        kind = rng.random()
        if kind < 0.05:
            text = ""
        elif kind < 0.1:
            text = rng.choice([" \n\t ", "\u3000\u3000\n", "     "])
        else:
            text = random_text(rng, rng.randint(1, max_words))
        n = len(text)
        truth: list[tuple[int, int, str]] = []
        if n:
            for _ in range(rng.randint(0, max(1, n // 15))):
                start = rng.randrange(n)
                end = min(n, start + rng.randint(1, 25))
                truth.append((start, end, rng.choice(labels)))
        spans: list[SpanRecord] = []
        done: set[str] = set()
        untouched = rng.random() < 0.1
        for annotator in [*annotators, "stranger"]:
            if untouched:
                break
            status = rng.random()
            if status < 0.75:
                done.add(annotator)
            elif status < 0.85:
                continue  # never opened it: no spans either
            for start, end, label in truth:
                r = rng.random()
                if r < 0.15:
                    continue  # missed
                if r < 0.25:
                    label = rng.choice([*labels, "not-a-label"])  # relabelled
                elif r < 0.4:
                    start = min(n - 1, max(0, start + rng.randint(-3, 3)))  # shifted
                    end = min(n, max(start + 1, end + rng.randint(-3, 3)))
                spans.append(SpanRecord(start, end, label, annotator))
                if rng.random() < 0.1 and end - start > 2:  # nested inside the first
                    spans.append(SpanRecord(start + 1, end - 1, label, annotator))
                if rng.random() < 0.05:  # the same span twice must count once
                    spans.append(SpanRecord(start, end, label, annotator))
            for _ in range(rng.randint(0, 2) if n else 0):  # spurious
                start = rng.randrange(n)
                spans.append(
                    SpanRecord(start, min(n, start + rng.randint(1, 10)), rng.choice(labels), annotator)
                )
        documents.append(AgreementDocument(f"doc-{d}", text, frozenset(done), tuple(spans)))
    return documents
