"""Shared by the suggestion benchmarks: the corpus as TrainingDocuments, training budgets, recommenders."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suggestion_corpus import Document, make_corpus, split

from annotator.domain.suggestions.classifier import SpanClassifier
from annotator.domain.suggestions.model import Recommender, TrainingDocument, TrainingSpan
from annotator.domain.suggestions.phrase import PhraseRecommender

BUDGETS = (50, 200, 1000)


def as_training(doc: Document) -> TrainingDocument:
    return TrainingDocument(doc.text, tuple(TrainingSpan(s.start, s.end, s.label) for s in doc.spans))


def first_spans(training: list[Document], budget: int) -> list[TrainingDocument]:
    """Whole documents, in order, until they hold at least ``budget`` spans (an annotator's first days)."""
    out: list[TrainingDocument] = []
    spans = 0
    for doc in training:
        if spans >= budget:
            break
        out.append(as_training(doc))
        spans += len(doc.spans)
    return out


def recommenders() -> dict[str, type]:
    return {"phrase": PhraseRecommender, "classifier": SpanClassifier}


def trained(kind: str, documents: list[TrainingDocument]) -> Recommender:
    r = recommenders()[kind]()
    r.train(documents)
    return r


def corpus(documents: int = 400) -> tuple[list[Document], list[Document]]:
    return split(make_corpus(documents))
