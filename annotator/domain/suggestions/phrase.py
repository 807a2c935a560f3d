"""The built-in phrase recommender: proposes again the phrases annotators have accepted (issue #14).

Training reads the accepted spans of ``TrainingDocument``s: each span's text, folded by word
(``inflection.stem``, case-insensitive), is a phrase known with that label. Its score is a Laplace-smoothed
accept rate, ``(accepted + 1) / (accepted + missed + 2)``, where *missed* counts the whole-word occurrences
of the phrase in the training texts that no span with that label covers (the annotator saw it and did not
mark it). A ``Rejection`` removes the phrase for that label for good.

``suggest`` finds every learned phrase in a text (``PhraseMatcher``: whole words, any case, any inflection)
and resolves overlaps: the longest match wins, then the higher score, then the earlier one. Offsets are
code points into the text given.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

import numpy as np

from annotator.domain.suggestions.inflection import stem
from annotator.domain.suggestions.model import (
    Cancelled,
    Progress,
    Rejection,
    Suggestion,
    TrainingDocument,
)
from annotator.domain.suggestions.phrase_matcher import PhraseMatcher, has_words

PhraseKey = tuple[str, ...]


def phrase_key(phrase: str) -> PhraseKey:
    """The identity of a phrase for learning and rejecting: its folded words."""
    return tuple(stem(w) for w in phrase.split())


@dataclass
class _Counts:
    accepted: int = 0
    missed: int = 0

    @property
    def score(self) -> float:
        return (self.accepted + 1) / (self.accepted + self.missed + 2)


class PhraseRecommender:
    """Learns phrases from accepted spans; suggests them wherever they occur as whole words."""

    name = "phrase"

    def __init__(self, min_score: float = 0.0) -> None:
        self.min_score = min_score
        self._phrases: list[str] = []  # id -> first surface form seen
        self._scores: list[tuple[tuple[str, float], ...]] = []  # id -> (label, score), best first
        self._matcher = PhraseMatcher(())
        self._version = "empty"
        self._best_cache: dict[tuple[str, ...], list[tuple[str, float] | None]] = {}

    @property
    def version(self) -> str:
        return self._version

    def phrases(self) -> dict[str, dict[str, float]]:
        """What was learned: surface form -> label -> score (for display and tests)."""
        return {p: dict(s) for p, s in zip(self._phrases, self._scores, strict=True)}

    def train(
        self,
        documents: Sequence[TrainingDocument],
        rejections: Sequence[Rejection] = (),
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> None:
        """Learn from scratch. When ``cancelled()`` turns true, stops and keeps what it had before."""
        total = 2 * len(documents)
        rejected = {(phrase_key(r.phrase), r.label) for r in rejections}
        surface: dict[PhraseKey, str] = {}
        counts: dict[PhraseKey, dict[str, _Counts]] = defaultdict(dict)
        for done, doc in enumerate(documents, 1):
            if cancelled is not None and cancelled():
                return
            for span in doc.spans:
                phrase = doc.text[span.start : span.end].strip()
                key = phrase_key(phrase)
                if not key or (key, span.label) in rejected or not has_words(phrase):
                    continue
                surface.setdefault(key, " ".join(phrase.split()))
                counts[key].setdefault(span.label, _Counts()).accepted += 1
            if progress is not None:
                progress(done, total)
        keys = sorted(surface)
        matcher = PhraseMatcher(enumerate(surface[k] for k in keys))
        phrase_labels: dict[str, np.ndarray] = {}  # label -> which phrase ids were accepted with it
        for phrase_id, key in enumerate(keys):
            for label in counts[key]:
                phrase_labels.setdefault(label, np.zeros(len(keys), dtype=bool))[phrase_id] = True
        for done, doc in enumerate(documents, len(documents) + 1):
            if cancelled is not None and cancelled():
                return
            for label, missed in _missed(doc, matcher, phrase_labels).items():
                for phrase_id in np.flatnonzero(missed).tolist():
                    counts[keys[phrase_id]][label].missed += int(missed[phrase_id])
            if progress is not None:
                progress(done, total)
        self._phrases = [surface[k] for k in keys]
        self._scores = [
            tuple(sorted(((lab, c.score) for lab, c in counts[k].items()), key=lambda ls: (-ls[1], ls[0])))
            for k in keys
        ]
        self._matcher = matcher
        self._best_cache = {}
        digest = hashlib.sha1(repr((self._phrases, self._scores)).encode("utf-8")).hexdigest()
        self._version = f"{len(keys)}-{digest[:12]}"

    def _best(self, labels: Sequence[str]) -> list[tuple[str, float] | None]:
        """Per phrase id, its best (label, score) among ``labels`` at or above the threshold."""
        key = tuple(sorted(set(labels)))
        cached = self._best_cache.get(key)
        if cached is None:
            wanted = set(key)
            cached = [
                next(((lab, sc) for lab, sc in scores if lab in wanted and sc >= self.min_score), None)
                for scores in self._scores
            ]
            self._best_cache = {key: cached}
        return cached

    def suggest(self, text: str, labels: Sequence[str]) -> list[Suggestion]:
        best = self._best(labels)
        # The matches flat in numpy (a 2 MB text can hold 800,000 of them), ordered as the tuples
        # (start, end, (label, score)) would sort; overlapping ones grouped into clusters by the
        # running maximum of their ends. Only clusters of two or more go through Python.
        found = np.fromiter(chain.from_iterable(self._matcher.find(text)), dtype=np.int64).reshape(-1, 3)
        rank = _rank(best)
        found = found[rank[found[:, 2]] >= 0]
        if not len(found):
            return []
        starts, ends, ids = found[:, 0], found[:, 1], found[:, 2]
        order = np.lexsort((rank[ids], ends, starts))
        starts, ends, ids = starts[order], ends[order], ids[order]
        reach = np.maximum.accumulate(ends)
        first = np.ones(len(starts), dtype=bool)
        first[1:] = starts[1:] >= reach[:-1]
        bounds = [*np.flatnonzero(first).tolist(), len(starts)]
        keep = np.zeros(len(starts), dtype=bool)
        for lo, hi in pairwise(bounds):
            if hi - lo == 1:
                keep[lo] = True
            else:
                members = zip(starts[lo:hi].tolist(), ends[lo:hi].tolist(), ids[lo:hi].tolist(), strict=True)
                cluster = [(s, e, best[i], lo + n) for n, (s, e, i) in enumerate(members)]
                for *_, at in _resolve(cluster):
                    keep[at] = True
        name, version = self.name, self._version
        out = []
        for s, e, i in zip(starts[keep].tolist(), ends[keep].tolist(), ids[keep].tolist(), strict=True):
            label, score = best[i]  # type: ignore[misc]
            out.append(Suggestion(s, e, label, score, name, version))
        return out


def _rank(best: list[tuple[str, float] | None]) -> np.ndarray:
    """Per phrase id, the place of its (label, score) in sorted order; -1 when it has none."""
    rank = np.full(len(best), -1, dtype=np.int64)
    present = sorted((b, i) for i, b in enumerate(best) if b is not None)
    for place, (_, i) in enumerate(present):
        rank[i] = place
    return rank


def _missed(
    doc: TrainingDocument,
    matcher: PhraseMatcher,
    phrase_labels: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Per label, per phrase id: its occurrences in ``doc`` that no span with that label overlaps.

    In numpy: a text of 2 MB with 20,000 spans holds about 800,000 occurrences of their phrases,
    and testing each against the spans one by one took minutes (the background training held the
    GIL that long and the desk crawled). Per label the spans are sorted by start with a running
    maximum of their ends: an occurrence [s, e) is covered when the last span starting before e
    ends after s."""
    # Flat, straight into numpy: a list of 800,000 tuples first cost 100 MB more.
    found = np.fromiter(chain.from_iterable(matcher.find(doc.text)), dtype=np.int64).reshape(-1, 3)
    if not len(found):
        return {}
    starts, ends, ids = found[:, 0], found[:, 1], found[:, 2]
    by_label: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for span in doc.spans:
        by_label[span.label].append((span.start, span.end))
    missed: dict[str, np.ndarray] = {}
    for label, has_label in phrase_labels.items():
        relevant = has_label[ids]
        covered = np.zeros(len(ids), dtype=bool)
        spans = sorted(by_label.get(label, ()))
        if spans:
            span_starts = np.array([s for s, _ in spans], dtype=np.int64)
            reach = np.maximum.accumulate(np.array([e for _, e in spans], dtype=np.int64))
            last = np.searchsorted(span_starts, ends, side="left") - 1
            covered = (last >= 0) & (reach[np.maximum(last, 0)] > starts)
        missed[label] = np.bincount(ids[relevant & ~covered], minlength=len(has_label))
    return missed


def _resolve(cluster: list[tuple]) -> list[tuple]:
    """The non-overlapping matches kept of a cluster of overlapping ones (start, end, (label,
    score), ...): longest first, then best score, then first."""
    kept: list[tuple] = []
    for m in sorted(cluster, key=lambda m: (m[0] - m[1], -m[2][1], m[0])):
        if all(m[1] <= k[0] or k[1] <= m[0] for k in kept):
            kept.append(m)
    return kept
