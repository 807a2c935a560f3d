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
from annotator.services.documents import DocumentService
from annotator.services.suggestions.service import SuggestionService
from annotator.services.suggestions.training import gather_training
from annotator.store.database import Database


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
        for document_id in document_ids:
            if cancelled():
                break
            text = self._documents.get(document_id).text
            for other, from_others in trained:
                self._suggestions.store(
                    document_id,
                    other.name,
                    other.suggest(text, labels),
                    for_annotator=annotator_id,
                    from_others=from_others,
                )
            found = self.recommender.suggest(text, labels)
            self._suggestions.store(
                document_id,
                self.recommender.name,
                found,
                for_annotator=annotator_id,
                from_others=self.from_others,
            )
            done.append(document_id)
        return done
