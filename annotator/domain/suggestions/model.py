"""The contract between recommenders and the rest of the app.

A recommender learns from ``TrainingDocument``s (accepted spans) and ``Rejection``s (phrases an
annotator turned down) and proposes ``Suggestion``s for a text. Offsets are code points into the
text given to ``suggest`` (DESIGN.md section 4). Scores are in [0, 1]. Recommenders are pure: no
database, no Qt, no network (the external Label Studio ML backend is a service, not a domain type).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int
    end: int
    label: str
    score: float
    source: str  # the recommender's name, e.g. "phrase"
    version: str  # changes whenever the recommender is retrained


@dataclass(frozen=True, slots=True)
class TrainingSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class TrainingDocument:
    text: str
    spans: tuple[TrainingSpan, ...]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A suggestion an annotator rejected: never propose this phrase with this label again."""

    phrase: str
    label: str


Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


class Recommender(Protocol):
    name: str

    @property
    def version(self) -> str: ...

    def train(
        self,
        documents: Sequence[TrainingDocument],
        rejections: Sequence[Rejection] = (),
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> None: ...

    def suggest(self, text: str, labels: Sequence[str]) -> list[Suggestion]: ...
