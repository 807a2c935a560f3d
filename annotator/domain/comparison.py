"""Where annotators agree and disagree on one document, for the supervisor's side-by-side view.

Spans of all compared annotators are grouped into *passages*: connected groups of overlapping spans
(any label). Each passage gets one verdict, told apart at a glance in the review window:

- ``agree``: every compared annotator has exactly this span (same start, end and label);
- ``label``: the same boundaries, but the labels differ;
- ``boundary``: the same label, but the boundaries differ;
- ``both``: boundaries and labels differ;
- ``only``: some compared annotators marked nothing here (the passage names who did).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.domain.records import SpanRecord

VERDICTS = ("agree", "label", "boundary", "both", "only")


@dataclass(frozen=True, slots=True)
class Passage:
    start: int
    end: int
    spans: tuple[SpanRecord, ...]
    verdict: str

    def by(self, annotator: str) -> tuple[SpanRecord, ...]:
        return tuple(s for s in self.spans if s.annotator == annotator)


def passages(spans: Sequence[SpanRecord], annotators: Sequence[str]) -> list[Passage]:
    """Group overlapping spans (sweep in start order) and judge each group."""
    wanted = set(annotators)
    ordered = sorted((s for s in spans if s.annotator in wanted), key=lambda s: (s.start, s.end))
    groups: list[list[SpanRecord]] = []
    reach = -1
    for span in ordered:
        if groups and span.start < reach:
            groups[-1].append(span)
            reach = max(reach, span.end)
        else:
            groups.append([span])
            reach = span.end
    return [
        Passage(min(s.start for s in g), max(s.end for s in g), tuple(g), verdict(g, annotators))
        for g in groups
    ]


def verdict(group: Sequence[SpanRecord], annotators: Sequence[str]) -> str:
    present = {s.annotator for s in group}
    if len(annotators) > 1 and present != set(annotators):
        return "only"
    bounds = {(s.start, s.end) for s in group}
    labels = {s.label for s in group}
    per_annotator = {a: {(s.start, s.end, s.label) for s in group if s.annotator == a} for a in present}
    if len({frozenset(v) for v in per_annotator.values()}) == 1:
        return "agree"
    if len(bounds) == 1:
        return "label"
    if len(labels) == 1:
        return "boundary"
    return "both"


def disagreement_count(found: Sequence[Passage]) -> int:
    return sum(1 for p in found if p.verdict != "agree")
