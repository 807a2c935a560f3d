"""Quality of the built-in recommenders (issue #14): per label precision and recall on held-out news.

Run: python benchmarks/bench_suggestion_quality.py
The seeded corpus of benchmarks/suggestion_corpus.py (400 documents; the last 100 held out) trains each
recommender on the first documents of the training split holding 50, 200 and 1,000 gold spans; a
suggestion counts as right when its start, end and label equal a gold span's (exact match), at any score.
"""

from __future__ import annotations

import time

from suggestion_corpus import LABELS
from suggestion_eval import BUDGETS, corpus, first_spans, trained


def scores(predicted: set, gold: set, label: str) -> tuple[float, float, int]:
    p = {x for x in predicted if x[3] == label}
    g = {x for x in gold if x[3] == label}
    tp = len(p & g)
    return (tp / len(p) if p else 0.0), (tp / len(g) if g else 0.0), len(g)


def main() -> None:
    training, held_out = corpus()
    gold = {(d.id, s.start, s.end, s.label) for d in held_out for s in d.spans}
    print(f"held out: {len(held_out)} documents, {len(gold)} gold spans; exact-match precision / recall")
    header = f"{'recommender':11} {'spans':>5} {'train s':>7}  " + "  ".join(
        f"{lab[:18]:>18}" for lab in LABELS
    )
    print(header + f"  {'all (micro)':>18}")
    for kind in ("phrase", "classifier"):
        for budget in BUDGETS:
            docs = first_spans(training, budget)
            n = sum(len(d.spans) for d in docs)
            t0 = time.perf_counter()
            model = trained(kind, docs)
            seconds = time.perf_counter() - t0
            predicted = {
                (d.id, s.start, s.end, s.label) for d in held_out for s in model.suggest(d.text, LABELS)
            }
            cells = []
            for label in LABELS:
                p, r, _ = scores(predicted, gold, label)
                cells.append(f"P {p:.2f} R {r:.2f}".rjust(18))
            tp = len(predicted & gold)
            micro = f"P {tp / max(len(predicted), 1):.2f} R {tp / len(gold):.2f}".rjust(18)
            print(f"{kind:11} {n:>5} {seconds:>7.1f}  " + "  ".join(cells) + f"  {micro}")


if __name__ == "__main__":
    main()
