"""Effort (issue #14): actions a scripted annotator needs to reach the gold annotation, with and without
suggestions, on the held-out documents of benchmarks/suggestion_corpus.py. Goal: at least 2x fewer.

Run: python benchmarks/bench_suggestion_effort.py

Counted as the desk works (ui/suggestions/controller.py on branch suggest-core):
- without suggestions: per gold span one selection (drag or Shift+arrows: 1 action) and one label key;
- with suggestions shown at or above the desk's threshold (0.5), per document the cheaper of
  * walking: F8 once to the first suggestion, then one key per suggestion, since accepting or rejecting
    moves on to the next: Ctrl+Return accepts a right one, a label key accepts one with the right
    offsets under the right label, Ctrl+Backspace rejects a wrong one;
  * accepting all: Ctrl+Shift+Return once, then per wrong one a selection (click the span) and a key
    (Delete, or the right label key);
  and then, as without, a selection and a label key for every gold span no suggestion gave.
The annotator knows the gold (the script reads it), so this is the effort of a careful annotator, not of
reading. Selections are reported apart too: they are the slow, mouse-precise actions.
"""

from __future__ import annotations

from dataclasses import dataclass

from suggestion_corpus import LABELS
from suggestion_eval import corpus, first_spans, trained

THRESHOLDS = (0.5, 0.0)


@dataclass
class Effort:
    keys: int = 0
    selections: int = 0

    @property
    def actions(self) -> int:
        return self.keys + self.selections

    def add(self, other: Effort) -> None:
        self.keys += other.keys
        self.selections += other.selections


def manual(gold: set[tuple[int, int, str]]) -> Effort:
    return Effort(keys=len(gold), selections=len(gold))


def with_suggestions(
    gold: set[tuple[int, int, str]], shown: list[tuple[int, int, str]]
) -> tuple[Effort, Effort]:
    """(the cheaper strategy per document, walking only)."""
    right = [s for s in shown if s in gold]
    offsets = {(s, e) for s, e, _ in gold}
    relabel = [s for s in shown if s not in gold and (s[0], s[1]) in offsets]
    given = {s for s in right} | {g for g in gold for s in relabel if (g[0], g[1]) == (s[0], s[1])}
    wrong = len(shown) - len(right) - len(relabel)
    missed = len(gold - given)
    start = 1 if shown else 0
    walk = Effort(keys=start + len(shown) + missed, selections=missed)
    accept_all = Effort(keys=start + len(relabel) + wrong + missed, selections=len(relabel) + wrong + missed)
    return min(walk, accept_all, key=lambda e: (e.actions, e.selections)), walk


def main() -> None:
    training, held_out = corpus()
    docs = first_spans(training, 1000)
    spans = sum(len(d.spans) for d in docs)
    total_gold = sum(len(d.spans) for d in held_out)
    print(
        f"held out: {len(held_out)} documents, {total_gold} gold spans; recommenders trained on {spans} spans"
    )
    base = Effort()
    for d in held_out:
        base.add(manual({(s.start, s.end, s.label) for s in d.spans}))
    print(
        f"{'without suggestions':34} actions {base.actions:5} (keys {base.keys:5}, selections {base.selections:5})"
    )
    for kind in ("phrase", "classifier"):
        model = trained(kind, docs)
        suggestions = {d.id: model.suggest(d.text, LABELS) for d in held_out}
        for threshold in THRESHOLDS:
            effort, walking = Effort(), Effort()
            for d in held_out:
                gold = {(s.start, s.end, s.label) for s in d.spans}
                shown = [(s.start, s.end, s.label) for s in suggestions[d.id] if s.score >= threshold]
                best, walk = with_suggestions(gold, shown)
                effort.add(best)
                walking.add(walk)
            name = f"{kind}, threshold {threshold:.1f}"
            ratio = base.actions / max(effort.actions, 1)
            sel = base.selections / max(effort.selections, 1)
            verdict = "goal met" if ratio >= 2 else "below the 2x goal"
            print(
                f"{name:34} actions {effort.actions:5} (keys {effort.keys:5}, selections {effort.selections:5})"
                f"  -> {ratio:.1f}x fewer actions, {sel:.1f}x fewer selections [{verdict}]"
            )
            print(
                f"{'  (walking with F8 only)':34} actions {walking.actions:5}  -> {base.actions / max(walking.actions, 1):.1f}x fewer"
            )


if __name__ == "__main__":
    main()
