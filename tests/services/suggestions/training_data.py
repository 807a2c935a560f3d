"""Training documents for the training-process tests: sentences with outcome and leverage spans."""

from __future__ import annotations

import random

from annotator.domain.suggestions.model import TrainingDocument, TrainingSpan


def training_documents(n: int, seed: int = 1, sentences: int = 6) -> list[TrainingDocument]:
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        text, spans = "", []
        for _ in range(sentences):
            text += f"{rng.choice(['Beijing', 'Moscow', 'Officials'])} said that "
            outcome = f"{rng.choice(['exports', 'imports'])} {rng.choice(['rose', 'fell'])} {rng.randint(2, 60)} percent"
            spans.append(TrainingSpan(len(text), len(text) + len(outcome), "economic outcome"))
            text += outcome + ", while the government "
            lever = f"threatened new tariffs on {rng.choice(['steel', 'gas', 'wheat'])}"
            spans.append(TrainingSpan(len(text), len(text) + len(lever), "leverage"))
            text += lever + ". "
        docs.append(TrainingDocument(text, tuple(spans)))
    return docs
