"""The trained local recommender: a linear token tagger (scikit-learn) whose B/I/O tags make spans.

Each token of a text gets hashed features (``token_features``: word, shape, affixes, stem, two words of
context each side) and a logistic-regression SGD model predicts its tag: ``O`` (no span, the "none"
class), ``B-label`` (a span starts) or ``I-label`` (a span goes on). Consecutive ``B``/``I`` tokens of one
label make a suggestion from the first token's start to the last one's end; its score is the mean
probability of the predicted tags. Training runs ``epochs`` passes of ``partial_fit``, reporting
progress after the features and after each pass and stopping (keeping the previous model) when
``cancelled()`` turns true. Rejected phrases are never suggested with the label they were rejected for.

scikit-learn is the optional extra ``suggest`` (``pip install 'annotator[suggest]'``): it is imported on
first use, and a clear error says so when it is missing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.model import (
    Cancelled,
    Progress,
    Rejection,
    Suggestion,
    TrainingDocument,
)
from annotator.domain.suggestions.phrase import phrase_key
from annotator.domain.suggestions.token_features import token_features
from annotator.domain.tokenize import token_bounds

OUTSIDE = "O"


def _sklearn() -> Any:
    try:
        from sklearn.feature_extraction import FeatureHasher
        from sklearn.linear_model import SGDClassifier
    except ImportError as exc:
        raise AnnotatorError(
            "the span classifier needs scikit-learn, which is not installed: pip install 'annotator[suggest]'"
        ) from exc
    return FeatureHasher, SGDClassifier


def _tokens(text: str) -> tuple[list[int], list[int], list[str]]:
    starts, ends = token_bounds(text)
    return starts, ends, [text[s:e] for s, e in zip(starts, ends, strict=True)]


def _tags(starts: list[int], ends: list[int], document: TrainingDocument) -> list[str]:
    tags = [OUTSIDE] * len(starts)
    for span in sorted(document.spans, key=lambda s: (s.start, s.start - s.end)):
        inside = [
            i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if s < span.end and span.start < e
        ]
        if not inside or any(tags[i] != OUTSIDE for i in inside):
            continue  # a span overlapping one already tagged: the tagger learns the first (longest)
        tags[inside[0]] = f"B-{span.label}"
        for i in inside[1:]:
            tags[i] = f"I-{span.label}"
    return tags


class SpanClassifier:
    """Learns labelled spans from accepted ones and proposes spans in new texts."""

    name = "classifier"

    def __init__(self, epochs: int = 8, n_features: int = 2**18, seed: int = 14, alpha: float = 1e-5) -> None:
        self.epochs = epochs
        self.n_features = n_features
        self.seed = seed
        self.alpha = alpha
        self._model: Any = None
        self._classes: list[str] = []
        self._rejected: set[tuple[tuple[str, ...], str]] = set()
        self._version = "untrained"

    @property
    def version(self) -> str:
        return self._version

    @property
    def trained(self) -> bool:
        return self._model is not None

    def _hasher(self) -> Any:
        feature_hasher, _ = _sklearn()
        return feature_hasher(n_features=self.n_features, input_type="string", alternate_sign=False)

    def train(
        self,
        documents: Sequence[TrainingDocument],
        rejections: Sequence[Rejection] = (),
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> None:
        """Learn from scratch; with no spans at all, stays (or becomes) untrained."""
        import numpy as np

        _, sgd_classifier = _sklearn()
        hasher = self._hasher()
        total = len(documents) + self.epochs
        features: list[list[str]] = []
        tags: list[str] = []
        for done, document in enumerate(documents, 1):
            if cancelled is not None and cancelled():
                return
            starts, ends, words = _tokens(document.text)
            features += token_features(words)
            tags += _tags(starts, ends, document)
            if progress is not None:
                progress(done, total)
        classes = sorted(set(tags) | {OUTSIDE})
        if len(classes) < 2:
            self._model, self._classes, self._version = None, [], "untrained"
            return
        x = hasher.transform(features)
        y = np.array(tags)
        model = sgd_classifier(loss="log_loss", alpha=self.alpha, random_state=self.seed)
        rng = np.random.default_rng(self.seed)
        for epoch in range(self.epochs):
            if cancelled is not None and cancelled():
                return
            order = rng.permutation(len(tags))
            model.partial_fit(x[order], y[order], classes=classes)
            if progress is not None:
                progress(len(documents) + epoch + 1, total)
        self._model = model
        self._classes = list(model.classes_)
        self._rejected = {(phrase_key(r.phrase), r.label) for r in rejections}
        digest = hashlib.sha1(model.coef_.tobytes() + model.intercept_.tobytes())
        digest.update(repr(sorted(self._rejected)).encode("utf-8"))
        self._version = f"{len(tags)}t-{digest.hexdigest()[:12]}"

    def suggest(self, text: str, labels: Sequence[str]) -> list[Suggestion]:
        if self._model is None:
            return []
        starts, ends, words = _tokens(text)
        if not words:
            return []
        proba = self._model.predict_proba(self._hasher().transform(token_features(words)))
        best = proba.argmax(axis=1)
        wanted = set(labels)
        classes = self._classes
        out: list[Suggestion] = []
        i, n = 0, len(words)
        while i < n:
            tag = classes[best[i]]
            if tag == OUTSIDE:
                i += 1
                continue
            label = tag[2:]
            first, scores = i, [proba[i, best[i]]]
            i += 1
            while i < n and classes[best[i]] == f"I-{label}":
                scores.append(proba[i, best[i]])
                i += 1
            start, end = starts[first], ends[i - 1]
            if label in wanted and (phrase_key(text[start:end]), label) not in self._rejected:
                score = float(sum(scores) / len(scores))
                out.append(Suggestion(start, end, label, round(score, 6), self.name, self._version))
        return out
