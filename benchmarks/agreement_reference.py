"""Reference agreement figures for a native JSONL file, computed the obvious way (DESIGN.md section 6).

    python benchmarks/agreement_reference.py FILE.jsonl [--annotator NAME]... [--label NAME]...

Prints the same JSON object as ``annotator agreement --json``, but built straight on the reference
libraries: krippendorff (alpha), scikit-learn (kappa) and scipy (maximum bipartite matching). It shares
no code with ``annotator`` so that the two can check each other. Default annotators: every name in the
file's statuses and spans except the gold layer, sorted; default labels: the four default labels that
occur, then any others in order of appearance.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from itertools import combinations
from typing import Any

import krippendorff
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching
from sklearn.metrics import cohen_kappa_score

DEFAULT_LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]
GOLD = "gold"


def load(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def agreement(documents: list[dict[str, Any]], annotators: list[str], labels: list[str]) -> dict[str, Any]:
    def done(doc: dict[str, Any], annotator: str) -> bool:
        return doc.get("status", {}).get(annotator) == "done"

    counted = [d for d in documents if any(done(d, a) for a in annotators)]
    nonspace = [np.array([not ch.isspace() for ch in d["text"]], dtype=bool) for d in counted]

    def spans(k: int, annotator: str, label: str) -> list[tuple[int, int]]:
        doc = counted[k]
        if not done(doc, annotator):
            return []
        found = {
            (s["start"], s["end"])
            for s in doc.get("spans", [])
            if s["annotator"] == annotator and s["label"] == label
        }
        return sorted(found)

    def values(k: int, annotator: str, label: str) -> np.ndarray:
        covered = np.zeros(len(counted[k]["text"]), dtype=np.int64)
        for start, end in spans(k, annotator, label):
            covered[start:end] = 1
        return covered[nonspace[k]]

    n_units = int(sum(mask.sum() for mask in nonspace))
    alpha_rows = []
    for label in labels:
        rows = []
        for annotator in annotators:
            parts = [
                values(k, annotator, label).astype(float)
                if done(counted[k], annotator)
                else np.full(int(nonspace[k].sum()), np.nan)
                for k in range(len(counted))
            ]
            rows.append(np.concatenate(parts) if parts else np.zeros(0))
        row: dict[str, Any] = {"label": label, "alpha": None, "units": n_units}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = float(
                    krippendorff.alpha(reliability_data=np.vstack(rows), level_of_measurement="nominal")
                )
            if math.isnan(value):
                row["reason"] = "no variation"
            else:
                row["alpha"] = value
        except ValueError as error:
            row["reason"] = str(error)
        alpha_rows.append(row)

    pair_rows = []
    for a, b in combinations(annotators, 2):
        shared = [k for k in range(len(counted)) if done(counted[k], a) and done(counted[k], b)]
        for label in labels:
            row = {"a": a, "b": b, "label": label, "documents": len(shared), "kappa": None}
            va = np.concatenate([values(k, a, label) for k in shared]) if shared else np.zeros(0)
            vb = np.concatenate([values(k, b, label) for k in shared]) if shared else np.zeros(0)
            if len(va):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    kappa = float(cohen_kappa_score(va, vb))
                row["kappa"] = None if math.isnan(kappa) else kappa
            a_spans = b_spans = exact = overlap = 0
            for k in shared:
                sa, sb = spans(k, a, label), spans(k, b, label)
                a_spans += len(sa)
                b_spans += len(sb)
                exact += len(set(sa) & set(sb))
                overlap += max_overlap_matching(sa, sb)
            total = a_spans + b_spans
            defined = bool(shared) and total > 0
            row.update(
                f1_exact=2 * exact / total if defined else None,
                f1_overlap=2 * overlap / total if defined else None,
                a_spans=a_spans,
                b_spans=b_spans,
                matched_exact=exact,
                matched_overlap=overlap,
            )
            if row["kappa"] is None:
                row["kappa_reason"] = "undefined"
            if not defined:
                row["f1_reason"] = "undefined"
            pair_rows.append(row)

    defined_alphas = [row["alpha"] for row in alpha_rows if row["alpha"] is not None]
    return {
        "annotators": annotators,
        "labels": labels,
        "documents": len(counted),
        "alpha": alpha_rows,
        "overall_alpha": sum(defined_alphas) / len(defined_alphas) if defined_alphas else None,
        "pairs": pair_rows,
    }


def max_overlap_matching(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    edges = [(i, j) for i, (sa, ea) in enumerate(a) for j, (sb, eb) in enumerate(b) if sa < eb and sb < ea]
    if not edges:
        return 0
    rows, cols = zip(*edges, strict=True)
    graph = csr_array((np.ones(len(edges)), (rows, cols)), shape=(len(a), len(b)))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--annotator", action="append", default=[])
    parser.add_argument("--label", action="append", default=[])
    args = parser.parse_args(argv)
    documents = load(args.file)
    names = {name for d in documents for name in d.get("status", {})}
    names |= {s["annotator"] for d in documents for s in d.get("spans", [])}
    annotators = args.annotator or sorted(names - {GOLD})
    seen = list(dict.fromkeys(s["label"] for d in documents for s in d.get("spans", [])))
    labels = args.label or [lab for lab in DEFAULT_LABELS if lab in seen] + [
        lab for lab in seen if lab not in DEFAULT_LABELS
    ]
    json.dump(agreement(documents, annotators, labels), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
