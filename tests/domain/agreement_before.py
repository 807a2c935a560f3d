"""compute_agreement as it was before the chunked rewrite (issue 16), kept to compare the new one with.

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

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from annotator.domain.agreement_units import (
    AlphaCounts,
    KappaCounts,
    coverage,
    f1,
    mean_defined,
    unit_prefix,
)
from annotator.domain.records import SpanRecord
from annotator.domain.span_matching import max_exact_matching, max_overlap_matching

NO_SHARED_DOCUMENTS = "no documents finished by both annotators"
NO_SPANS = "no spans with this label from either annotator"


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
    documents: Sequence[AgreementDocument],
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
    annotators = list(dict.fromkeys(annotators))
    labels = list(dict.fromkeys(labels))
    annotator_index = {name: i for i, name in enumerate(annotators)}
    label_index = {name: i for i, name in enumerate(labels)}
    pairs = list(combinations(range(len(annotators)), 2))

    alpha_counts = [AlphaCounts() for _ in labels]
    pair_documents = dict.fromkeys(pairs, 0)
    pair_label = {(i, j, lab): _PairLabel(KappaCounts()) for i, j in pairs for lab in range(len(labels))}
    per_document_rows: list[dict[str, Any]] = []
    counted = 0
    pooled_units = 0

    for document in documents:
        done = [i for i, name in enumerate(annotators) if name in document.done_by]
        if not done:
            continue
        counted += 1
        prefix = unit_prefix(document.text)
        n_units = int(prefix[-1])
        pooled_units += n_units
        ranges = _ranges_by_annotator_and_label(document, annotator_index, label_index, set(done))
        shared_pairs = [(i, j) for i, j in pairs if i in ranges and j in ranges]
        for pair in shared_pairs:
            pair_documents[pair] += 1

        for lab, label in enumerate(labels):
            label_ranges = {i: ranges[i].get(lab, set()) for i in done}
            covers = {i: _coverage_of(prefix, spans) for i, spans in label_ranges.items()}
            present = [c for c in covers.values() if c is not None]
            ones: np.ndarray | None = None
            if present:
                ones = np.zeros(n_units, dtype=np.int64)
                for cover in present:
                    ones += cover
            document_alpha = AlphaCounts()
            document_alpha.add(ones, len(done), n_units)
            alpha_counts[lab].merge(document_alpha)

            for i, j in shared_pairs:
                totals = pair_label[(i, j, lab)]
                totals.kappa.add(covers[i], covers[j], n_units)
                a, b = label_ranges[i], label_ranges[j]
                totals.a_spans += len(a)
                totals.b_spans += len(b)
                if a and b:
                    totals.matched_exact += max_exact_matching(a, b)
                    totals.matched_overlap += max_overlap_matching(a, b)

            if per_document:
                value, reason = document_alpha.alpha()
                row: dict[str, Any] = {
                    "document": document.uid,
                    "label": label,
                    "annotators": [annotators[i] for i in done],
                    "units": n_units,
                    "spans": {annotators[i]: len(label_ranges[i]) for i in done},
                    "alpha": value,
                }
                if reason is not None:
                    row["reason"] = reason
                per_document_rows.append(row)

    alpha_rows: list[dict[str, Any]] = []
    for lab, label in enumerate(labels):
        value, reason = alpha_counts[lab].alpha()
        row = {"label": label, "alpha": value, "units": pooled_units}
        if reason is not None:
            row["reason"] = reason
        alpha_rows.append(row)

    pair_rows = [
        _pair_row(annotators[i], annotators[j], label, pair_documents[(i, j)], pair_label[(i, j, lab)])
        for i, j in pairs
        for lab, label in enumerate(labels)
    ]

    result: dict[str, Any] = {
        "annotators": annotators,
        "labels": labels,
        "documents": counted,
        "alpha": alpha_rows,
        "overall_alpha": mean_defined([row["alpha"] for row in alpha_rows]),
        "pairs": pair_rows,
    }
    if per_document:
        result["per_document"] = per_document_rows
    return result


def _ranges_by_annotator_and_label(
    document: AgreementDocument,
    annotator_index: dict[str, int],
    label_index: dict[str, int],
    done: set[int],
) -> dict[int, dict[int, set[tuple[int, int]]]]:
    """``{annotator: {label: {(start, end)}}}`` for the annotators who finished the document."""
    ranges: dict[int, dict[int, set[tuple[int, int]]]] = {i: {} for i in done}
    length = len(document.text)
    for span in document.spans:
        i = annotator_index.get(span.annotator)
        lab = label_index.get(span.label)
        if i is None or lab is None or i not in done:
            continue
        if not 0 <= span.start < span.end <= length:
            raise ValueError(
                f"document {document.uid!r}: span [{span.start}, {span.end}) of {span.annotator!r} "
                f"is outside its text of {length} characters"
            )
        ranges[i].setdefault(lab, set()).add((span.start, span.end))
    return ranges


def _coverage_of(prefix: np.ndarray, spans: set[tuple[int, int]]) -> np.ndarray | None:
    if not spans:
        return None  # all zero; callers skip the arithmetic
    starts = np.fromiter((s for s, _ in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((e for _, e in spans), dtype=np.int64, count=len(spans))
    return coverage(prefix, starts, ends)


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
