"""Suggestions asked of an external Label Studio ML backend and stored under the backend's name.

Used by `annotator suggest --backend URL` and by the desk (in a worker thread, for the current and the
next documents). Runs in any thread: it touches only the services and the network. The source name is
given, or the backend's ``model_class`` from ``GET /health``, or ``ml-backend``. A bad answer stores
nothing for the documents of that batch (BackendError says what and where).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from annotator.services.suggestions.ml_backend import SOURCE, Document, MLBackend
from annotator.services.suggestions.service import SuggestionService

if TYPE_CHECKING:  # (the ORM services load after the first window)
    from annotator.services.documents import DocumentService


def backend_source(health: dict, given: str | None = None) -> str:
    """The source name the backend's suggestions are stored under."""
    if given:
        return given
    name = health.get("model_class") or health.get("model_name")
    return str(name) if isinstance(name, str) and name.strip() else SOURCE


@dataclass
class BackendReport:
    source: str
    documents: int = 0
    suggestions: int = 0
    empty: int = 0  # documents the backend proposed nothing for

    def summary(self) -> str:
        return (
            f"stored {self.suggestions:,} suggestion{'' if self.suggestions == 1 else 's'} from "
            f"{self.source} on {self.documents:,} document{'' if self.documents == 1 else 's'}"
            f" ({self.empty:,} without any)"
        )


class BackendSuggester:
    """Asks ``backend`` for documents in batches and stores its suggestions as ``source``."""

    def __init__(
        self,
        documents: DocumentService,
        suggestions: SuggestionService,
        backend: MLBackend,
        source: str,
    ) -> None:
        self._documents = documents
        self._suggestions = suggestions
        self.backend = replace(backend, source=source)
        self.source = source

    def suggest(
        self,
        document_ids: Sequence[int],
        labels: Sequence[str],
        *,
        for_annotator: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> BackendReport:
        report = BackendReport(self.source)
        batch = max(self.backend.batch, 1)
        total = len(document_ids)
        for first in range(0, total, batch):
            if cancelled():
                break
            contents = [self._documents.get(i) for i in document_ids[first : first + batch]]
            found = self.backend.predict([Document(str(c.id), c.text) for c in contents], labels)
            for content in contents:
                proposed = found.get(str(content.id), [])
                self._suggestions.store(content.id, self.source, proposed, for_annotator=for_annotator)
                report.documents += 1
                report.suggestions += len(proposed)
                report.empty += not proposed
            if progress is not None:
                progress(report.documents, total)
        return report


class BackendComputer:
    """The desk's side: ``compute`` has SuggestionComputer's signature, so the same background worker
    runs it (in its own thread: a slow backend never delays the built-in recommenders). A document is
    asked for once per labels (the backend's answer does not change while the desk is open)."""

    def __init__(self, suggester: BackendSuggester) -> None:
        self.suggester = suggester
        self._asked: set[tuple[int, int, tuple[str, ...]]] = set()

    def compute(
        self,
        annotator_id: int,
        document_ids: Sequence[int],
        labels: Sequence[str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> list[int]:
        key = tuple(labels)
        wanted = [i for i in document_ids if (annotator_id, i, key) not in self._asked]
        if not wanted or cancelled():
            return []
        report = self.suggester.suggest(wanted, labels, for_annotator=annotator_id, cancelled=cancelled)
        done = wanted[: report.documents]
        self._asked.update((annotator_id, i, key) for i in done)
        return done
