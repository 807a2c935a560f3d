"""Suggestions computed for an annotator's next documents, ahead of time, so opening a document
reads stored suggestions and never waits for a model.

Runs in any thread (the desk runs it in a worker): it touches only the services. The recommender
is trained on ``gather_training`` (this annotator's own spans, gold and others' spans when a
supervisor allows, rejections) and retrained only when that changed; its suggestions are stored
for this annotator alone, marked as built from others' spans when they were.

Recommenders trained elsewhere (the span classifier, trained in a child process) join with
``use_trained``: they suggest alongside, under their own source name and version, and are not retrained
here. The set is replaced, never changed in place, so a worker thread reads a consistent one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from annotator.domain.suggestions.model import Recommender
from annotator.services.annotations import AnnotationService
from annotator.services.documents import DocumentService
from annotator.services.suggestions.service import SuggestionService
from annotator.services.suggestions.training import gather_training
from annotator.store.database import Database

# Suggestions stored per document and recommender, the best-scored: a phrase learnt from 20,000
# spans recurs 800,000 times in a 2 MB text; this many is what the desk draws as fast as 20,000 spans.
MAX_PER_DOCUMENT = 20_000


class SuggestionComputer:
    def __init__(
        self,
        db: Database,
        documents: DocumentService,
        suggestions: SuggestionService,
        recommender: Recommender,
    ) -> None:
        self._db = db
        self._documents = documents
        self._suggestions = suggestions
        self._annotations = AnnotationService(db)
        self.recommender = recommender
        self._trained_on: tuple[int, ...] | None = None
        self.from_others = False  # whether the trained model learnt from other annotators' spans
        self._trained: dict[str, tuple[Recommender, bool]] = {}  # name -> (recommender, from_others)

    def use_trained(self, recommender: Recommender, from_others: bool = False) -> None:
        """Suggest with an already trained recommender too (replacing one of the same name)."""
        self._trained = {**self._trained, recommender.name: (recommender, from_others)}

    def trained(self) -> list[Recommender]:
        return [r for r, _ in self._trained.values()]

    def train_if_changed(self, annotator_id: int) -> bool:
        data = gather_training(self._db, annotator_id)
        signature = (annotator_id, *data.signature)
        if signature == self._trained_on:
            return False
        self.recommender.train(data.documents, data.rejections)
        self._trained_on = signature
        self.from_others = data.used_others
        return True

    def compute(
        self,
        annotator_id: int,
        document_ids: Sequence[int],
        labels: Sequence[str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> list[int]:
        """Suggest and store for each document; returns the ids done (stops early if cancelled)."""
        self.train_if_changed(annotator_id)
        trained = list(self._trained.values())
        done: list[int] = []
        label_ids = self._suggestions.label_ids()
        for document_id in document_ids:
            if cancelled():
                break
            text = self._documents.get(document_id).text
            have = {
                (s.label_id, s.start, s.end) for s in self._annotations.spans_for(document_id, annotator_id)
            }
            for other, from_others in trained:
                self._suggestions.store(
                    document_id,
                    other.name,
                    other.suggest(text, labels),
                    for_annotator=annotator_id,
                    from_others=from_others,
                    labels=label_ids,
                    skip=have,
                    limit=MAX_PER_DOCUMENT,
                )
            self._suggestions.store(
                document_id,
                self.recommender.name,
                self.recommender.suggest(text, labels),
                for_annotator=annotator_id,
                from_others=self.from_others,
                labels=label_ids,
                skip=have,
                limit=MAX_PER_DOCUMENT,
            )
            done.append(document_id)
        return done
