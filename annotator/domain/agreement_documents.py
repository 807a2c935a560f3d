"""Agreement on document labels: documents are the units (DESIGN.md section 6, adapted).

For document label L an annotator's value on a document is 1 when they gave the document L, else
0, and missing when they have not finished it (status ``done``). Per label:

- Krippendorff's alpha, nominal, over every document at least two of the annotators finished;
- Cohen's kappa per pair of annotators, over the documents both finished;
- Fleiss' kappa over the documents every one of the annotators finished (Fleiss needs the same
  number of ratings per unit).

Undefined figures are None with a reason, never 1.0 or 0, as for spans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from annotator.domain.agreement_units import AlphaCounts, KappaCounts

NO_DOCUMENTS_FOR_ALL = "no document finished by every annotator"


def fleiss_kappa(ones: Sequence[int], raters: int) -> tuple[float | None, str | None]:
    """Fleiss' kappa for two categories: ``ones[i]`` of ``raters`` ratings of unit i are 1."""
    n_units = len(ones)
    if n_units == 0:
        return None, NO_DOCUMENTS_FOR_ALL
    if raters < 2:
        return None, "fewer than two annotators"
    counts = np.asarray(ones, dtype=np.float64)
    zeros = raters - counts
    agreement = (counts * (counts - 1) + zeros * (zeros - 1)) / (raters * (raters - 1))
    p_bar = float(agreement.mean())
    p1 = float(counts.sum()) / (n_units * raters)
    p_e = p1 * p1 + (1 - p1) * (1 - p1)
    if p_e == 1.0:
        return None, "no variation: every annotator gave every document the same value"
    return (p_bar - p_e) / (1 - p_e), None


def document_label_agreement(
    done_by: Mapping[str, frozenset[str]],
    given: Mapping[tuple[str, str], frozenset[str]],
    annotators: Sequence[str],
    labels: Sequence[str],
) -> dict[str, Any]:
    """``done_by``: document -> annotators who finished it; ``given``: (document, annotator) ->
    the document labels they gave it. Returns ``{"documents", "alpha": [{"label", "alpha",
    "documents"}], "fleiss": [{"label", "kappa", "documents"}], "pairs": [{"a", "b", "label",
    "documents", "kappa"}]}`` (each with ``"reason"`` / ``"kappa_reason"`` when None)."""
    annotators = list(dict.fromkeys(annotators))
    chosen = set(annotators)
    pairs = list(combinations(annotators, 2))
    alpha_rows, fleiss_rows, pair_rows = [], [], []
    counted = [d for d, who in done_by.items() if len(who & chosen) >= 2]
    everyone = [d for d, who in done_by.items() if chosen and chosen <= who]
    for label in labels:
        alpha = AlphaCounts()
        for doc in counted:
            finished = [a for a in annotators if a in done_by[doc]]
            ones = sum(label in given.get((doc, a), frozenset()) for a in finished)
            alpha.add(np.asarray([ones], dtype=np.int64), len(finished), 1)
        value, reason = alpha.alpha()
        row: dict[str, Any] = {"label": label, "alpha": value, "documents": len(counted)}
        if reason is not None:
            row["reason"] = reason.replace("unit", "document")
        alpha_rows.append(row)

        ones_all = [sum(label in given.get((doc, a), frozenset()) for a in annotators) for doc in everyone]
        kappa, reason = fleiss_kappa(ones_all, len(annotators))
        row = {"label": label, "kappa": kappa, "documents": len(everyone)}
        if reason is not None:
            row["reason"] = reason
        fleiss_rows.append(row)

        for a, b in pairs:
            shared = [d for d, who in done_by.items() if a in who and b in who]
            counts = KappaCounts()
            for doc in shared:
                va = np.asarray([label in given.get((doc, a), frozenset())])
                vb = np.asarray([label in given.get((doc, b), frozenset())])
                counts.add(va, vb, 1)
            kappa, reason = counts.kappa() if shared else (None, "no documents finished by both annotators")
            row = {"a": a, "b": b, "label": label, "documents": len(shared), "kappa": kappa}
            if reason is not None:
                row["kappa_reason"] = reason.replace("units", "documents").replace("unit", "document")
            pair_rows.append(row)
    return {
        "labels": list(labels),
        "documents": len(counted),
        "alpha": alpha_rows,
        "fleiss": fleiss_rows,
        "pairs": pair_rows,
    }


def format_document_label_table(result: dict[str, Any]) -> str:
    """The document-label figures under the span table of ``annotator agreement``."""
    if not result["labels"]:
        return ""
    width = max(len("document label"), *(len(x) for x in result["labels"]))
    lines = ["", f"{'document label':<{width}}  {'alpha':>7}  {'fleiss':>7}  {'docs':>5}"]
    for alpha, fleiss in zip(result["alpha"], result["fleiss"], strict=True):
        lines.append(
            f"{alpha['label']:<{width}}  {_number(alpha['alpha']):>7}  {_number(fleiss['kappa']):>7}  "
            f"{alpha['documents']:>5}"
        )
    for row in result["pairs"]:
        lines.append(
            f"  {row['a']} / {row['b']}  {row['label']}: kappa {_number(row['kappa'])} over {row['documents']} docs"
        )
    return "\n".join(lines)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
