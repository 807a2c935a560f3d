"""Inter-annotator agreement: Krippendorff's alpha, Cohen's kappa and span F1 (DESIGN.md section 6).

Pure Python + numpy. The figures follow the definitions of the design document exactly:

- a document is *counted* when at least one of the given annotators has finished it (status ``done``);
  an annotator's spans on a document they have not finished are ignored, and their values there are
  missing (not 0);
- units are the code points of counted documents for which ``str.isspace()`` is false; an annotator's
  value for label L at a unit is 1 when one of their L spans covers it, else 0;
- alpha (nominal, missing values allowed) pools the units of all counted documents; kappa and span F1
  use the documents both annotators of the pair finished;
- undefined figures are ``None`` with a reason string, never 1.0 or 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from annotator.domain.agreement_batches import AgreementBatch, batches_of, chunks
from annotator.domain.agreement_chunks import Chunk, add_alpha, add_kappa, document_alphas
from annotator.domain.agreement_units import AlphaCounts, KappaCounts, f1, mean_defined
from annotator.domain.records import SpanRecord
from annotator.domain.span_matching import exact_matching_total, overlap_matching_total

NO_SHARED_DOCUMENTS = "no documents finished by both annotators"
NO_SPANS = "no spans with this label from either annotator"
CHUNK_CHARACTERS = 1_000_000  # documents are measured a chunk of about this much text at a time


@dataclass(frozen=True, slots=True)
class AgreementDocument:
    uid: str
    text: str
    done_by: frozenset[str]  # annotators whose status on this doc is "done"
    spans: tuple[SpanRecord, ...]  # every annotator's spans on it (gold is never passed in)


@dataclass(slots=True)
class _PairLabel:
    """Running totals of one (annotator pair, label) over the documents both finished."""

    kappa: KappaCounts
    a_spans: int = 0
    b_spans: int = 0
    matched_exact: int = 0
    matched_overlap: int = 0


def compute_agreement(
    documents: Iterable[AgreementDocument],
    annotators: Sequence[str],
    labels: Sequence[str],
    *,
    per_document: bool = False,
) -> dict[str, Any]:
    """The agreement object of DESIGN.md section 6 (what ``annotator agreement --json`` prints).

    Keys: ``annotators``, ``labels``, ``documents`` (counted documents), ``alpha`` (one
    ``{"label", "alpha", "units"}`` per label, ``units`` being the number of units pooled over the
    counted documents, plus ``"reason"`` when alpha is None), ``overall_alpha`` (mean of the defined
    per-label alphas), ``pairs`` (one entry per unordered pair ``a`` before ``b`` in the order given,
    and label: ``documents``, ``kappa``, ``f1_exact``, ``f1_overlap``, ``a_spans``, ``b_spans``,
    ``matched_exact``, ``matched_overlap``, plus ``kappa_reason`` / ``f1_reason`` when null).

    With ``per_document=True`` the object also has ``per_document``: one entry per counted document
    and label, in input order, ``{"document": uid, "label", "annotators": [those who finished it],
    "units", "spans": {annotator: number of spans}, "alpha"}`` (+ ``"reason"`` when alpha is None),
    alpha being computed on that document's units alone, so a supervisor can find where they disagree.

    Spans whose label or annotator is not among those given are ignored; duplicate spans (same
    annotator, label, start and end) count once. A span outside its text raises ``ValueError``.
    """
    return compute_agreement_batches(batches_of(documents), annotators, labels, per_document=per_document)


def compute_agreement_batches(
    batches: Iterable[AgreementBatch],
    annotators: Sequence[str],
    labels: Sequence[str],
    *,
    per_document: bool = False,
) -> dict[str, Any]:
    """:func:`compute_agreement` on documents read as column batches (what a store reads fastest)."""
    annotators = list(dict.fromkeys(annotators))
    labels = list(dict.fromkeys(labels))
    pairs = list(combinations(range(len(annotators)), 2))
    totals = _Totals(
        alpha=[AlphaCounts() for _ in labels],
        pair_documents=dict.fromkeys(pairs, 0),
        pair_label={(i, j, lab): _PairLabel(KappaCounts()) for i, j in pairs for lab in range(len(labels))},
    )
    per_document_rows: list[dict[str, Any]] | None = [] if per_document else None
    for columns in chunks(batches, annotators, labels, CHUNK_CHARACTERS):
        chunk = Chunk(columns, len(annotators), len(labels))
        _add_chunk(chunk, annotators, labels, pairs, totals, per_document_rows)

    alpha_rows: list[dict[str, Any]] = []
    for lab, label in enumerate(labels):
        value, reason = totals.alpha[lab].alpha()
        row = {"label": label, "alpha": value, "units": totals.units}
        if reason is not None:
            row["reason"] = reason
        alpha_rows.append(row)

    pair_rows = [
        _pair_row(
            annotators[i], annotators[j], label, totals.pair_documents[(i, j)], totals.pair_label[(i, j, lab)]
        )
        for i, j in pairs
        for lab, label in enumerate(labels)
    ]

    result: dict[str, Any] = {
        "annotators": annotators,
        "labels": labels,
        "documents": totals.documents,
        "alpha": alpha_rows,
        "overall_alpha": mean_defined([row["alpha"] for row in alpha_rows]),
        "pairs": pair_rows,
    }
    if per_document_rows is not None:
        result["per_document"] = per_document_rows
    return result


@dataclass(slots=True)
class _Totals:
    """What compute_agreement adds up over the chunks."""

    alpha: list[AlphaCounts]
    pair_documents: dict[tuple[int, int], int]
    pair_label: dict[tuple[int, int, int], _PairLabel]
    documents: int = 0
    units: int = 0


def _add_chunk(
    chunk: Chunk,
    annotators: list[str],
    labels: list[str],
    pairs: list[tuple[int, int]],
    totals: _Totals,
    per_document_rows: list[dict[str, Any]] | None,
) -> None:
    totals.documents += chunk.n_documents
    totals.units += chunk.total_units
    shared: dict[tuple[int, int], tuple[np.ndarray, int]] = {}
    for i, j in pairs:
        both = chunk.shared(i, j)
        totals.pair_documents[(i, j)] += int(both.sum())
        shared[(i, j)] = (both, int(chunk.units[both].sum()))

    by_label: list[list[dict[str, Any]]] = []
    for lab in range(len(labels)):
        present = [i for i in range(len(annotators)) if chunk.has_spans(i, lab)]
        covered = {i: chunk.covered(i, lab) for i in present}
        ones = np.zeros(chunk.n_documents, dtype=np.int64)
        squares = np.zeros(chunk.n_documents, dtype=np.int64)  # sum over units of k squared
        for units in covered.values():
            ones += units
            squares += units
        both_covered: dict[tuple[int, int], np.ndarray] = {}
        for i, j in pairs:
            if i in covered and j in covered:
                both_covered[(i, j)] = chunk.covered_by_both(i, j, lab)
                squares += 2 * both_covered[(i, j)]
        disagreement = chunk.values * ones - squares  # sum over units of k * (m - k)
        add_alpha(totals.alpha[lab], chunk, ones, disagreement, bool(present))

        for i, j in pairs:
            pair = totals.pair_label[(i, j, lab)]
            mask, units = shared[(i, j)]
            add_kappa(pair.kappa, covered.get(i), covered.get(j), both_covered.get((i, j)), mask, units)
            if i not in covered or j not in covered:
                if i in covered:
                    pair.a_spans += int(chunk.span_counts(i, lab)[mask].sum())
                if j in covered:
                    pair.b_spans += int(chunk.span_counts(j, lab)[mask].sum())
                continue
            pair.a_spans += int(chunk.span_counts(i, lab)[mask].sum())
            pair.b_spans += int(chunk.span_counts(j, lab)[mask].sum())
            pair.matched_exact += exact_matching_total(chunk.range_keys(i, lab), chunk.range_keys(j, lab))
            pair.matched_overlap += overlap_matching_total(*chunk.ranges(i, lab), *chunk.ranges(j, lab))

        if per_document_rows is not None:
            alphas = document_alphas(chunk, ones, disagreement, bool(present))
            counts = {i: chunk.span_counts(i, lab).tolist() for i in present}
            by_label.append(_per_document_rows(chunk, alphas, annotators, labels[lab], counts))
    if per_document_rows is not None:  # in document order, then label order
        per_document_rows.extend(row for rows in zip(*by_label, strict=True) for row in rows)


def _per_document_rows(
    chunk: Chunk,
    alphas: list[AlphaCounts],
    annotators: list[str],
    label: str,
    span_counts: dict[int, list[int]],
) -> list[dict[str, Any]]:
    """One row per document of the chunk, for this label."""
    rows: list[dict[str, Any]] = []
    for d, (uid, done, units, counts) in enumerate(
        zip(chunk.uids, chunk.done, chunk.units.tolist(), alphas, strict=True)
    ):
        value, reason = counts.alpha()
        row: dict[str, Any] = {
            "document": uid,
            "label": label,
            "annotators": [annotators[i] for i in done],
            "units": units,
            "spans": {annotators[i]: span_counts[i][d] if i in span_counts else 0 for i in done},
            "alpha": value,
        }
        if reason is not None:
            row["reason"] = reason
        rows.append(row)
    return rows


def _pair_row(a: str, b: str, label: str, documents: int, totals: _PairLabel) -> dict[str, Any]:
    row: dict[str, Any] = {"a": a, "b": b, "label": label, "documents": documents}
    if documents == 0:
        kappa: float | None
        kappa, kappa_reason = None, NO_SHARED_DOCUMENTS
        f1_exact = f1_overlap = None
        f1_reason: str | None = NO_SHARED_DOCUMENTS
    else:
        kappa, kappa_reason = totals.kappa.kappa()
        f1_exact = f1(totals.matched_exact, totals.a_spans, totals.b_spans)
        f1_overlap = f1(totals.matched_overlap, totals.a_spans, totals.b_spans)
        f1_reason = NO_SPANS if f1_exact is None else None
    row.update(
        kappa=kappa,
        f1_exact=f1_exact,
        f1_overlap=f1_overlap,
        a_spans=totals.a_spans,
        b_spans=totals.b_spans,
        matched_exact=totals.matched_exact,
        matched_overlap=totals.matched_overlap,
    )
    if kappa_reason is not None:
        row["kappa_reason"] = kappa_reason
    if f1_reason is not None:
        row["f1_reason"] = f1_reason
    return row


def format_agreement_table(result: dict[str, Any]) -> str:
    """A plain-text rendering of :func:`compute_agreement`'s result for the terminal.

    Undefined figures show as ``-`` with their reason listed under the table they belong to.
    """
    lines = [
        f"Agreement over {result['documents']} document(s); annotators: "
        + (", ".join(result["annotators"]) or "(none)")
    ]
    notes: list[str] = []

    label_width = max([len("overall"), len("label"), *(len(label) for label in result["labels"])])
    lines += ["", f"{'label':<{label_width}}  {'alpha':>7}  {'units':>9}"]
    for row in result["alpha"]:
        lines.append(f"{row['label']:<{label_width}}  {_number(row['alpha']):>7}  {row['units']:>9}")
        if row.get("reason"):
            notes.append(f"alpha {row['label']}: {row['reason']}")
    lines.append(f"{'overall':<{label_width}}  {_number(result['overall_alpha']):>7}")
    lines += [f"  - {note}" for note in notes]

    if result["pairs"]:
        notes = []
        pair_names = [f"{row['a']} / {row['b']}" for row in result["pairs"]]
        pair_width = max(len("pair"), *(len(name) for name in pair_names))
        header = (
            f"{'pair':<{pair_width}}  {'label':<{label_width}}  {'docs':>5}  {'kappa':>7}  "
            f"{'F1 exact':>8}  {'F1 overlap':>10}  {'A spans':>7}  {'B spans':>7}  {'exact':>6}  {'overlap':>7}"
        )
        lines += ["", header]
        for name, row in zip(pair_names, result["pairs"], strict=True):
            lines.append(
                f"{name:<{pair_width}}  {row['label']:<{label_width}}  {row['documents']:>5}  "
                f"{_number(row['kappa']):>7}  {_number(row['f1_exact']):>8}  "
                f"{_number(row['f1_overlap']):>10}  {row['a_spans']:>7}  {row['b_spans']:>7}  "
                f"{row['matched_exact']:>6}  {row['matched_overlap']:>7}"
            )
            for key, what in (("kappa_reason", "kappa"), ("f1_reason", "F1")):
                if row.get(key):
                    notes.append(f"{what} {name}, {row['label']}: {row[key]}")
        lines += [f"  - {note}" for note in dict.fromkeys(notes)]

    if result.get("per_document"):
        doc_width = max(len("document"), *(len(str(row["document"])) for row in result["per_document"]))
        lines += ["", f"{'document':<{doc_width}}  {'label':<{label_width}}  {'alpha':>7}  {'units':>9}"]
        for row in result["per_document"]:
            lines.append(
                f"{row['document']!s:<{doc_width}}  {row['label']:<{label_width}}  "
                f"{_number(row['alpha']):>7}  {row['units']:>9}"
            )
    return "\n".join(lines)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
