"""Suggestions for the desk: store them, list what one annotator may see, accept, reject.

Accepting does not write a span here: the desk creates the annotator's span through the same path
(and undo stack) as a key press, then the suggestion is hidden because an identical span exists.
A rejection is remembered per annotator: that phrase with that label is not suggested again in
any document (and the exact suggestion rejected is kept too).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.model import Suggestion
from annotator.services.models import SpanInfo
from annotator.services.suggestions.phrases import phrase_key
from annotator.store.database import Database
from annotator.store.suggestions import access
from annotator.store.suggestions.access import NewSuggestion, Policy

if TYPE_CHECKING:  # (the ORM services load after the first window: DESIGN.md, start-up)
    from annotator.services.annotations import AnnotationService


class SuggestionInfo(NamedTuple):  # a NamedTuple: a 2 MB document has thousands
    id: int
    document_id: int
    label_id: int
    start: int
    end: int
    score: float
    source: str
    version: str


class SuggestionService:
    def __init__(self, db: Database, annotations: AnnotationService | None = None) -> None:
        """annotations: made on first use when not given (the desk reads suggestions before its
        window shows, and the ORM behind AnnotationService loads only after)."""
        self._db = db
        self._given_annotations = annotations

    @property
    def _annotations(self) -> AnnotationService:
        if self._given_annotations is None:
            from annotator.services.annotations import AnnotationService

            self._given_annotations = AnnotationService(self._db)
        return self._given_annotations

    # ----- the supervisor's settings --------------------------------------------------

    def policy(self) -> Policy:
        with self._db.read_rows() as conn:
            return access.policy(conn)

    def set_policy(self, *, show_others: bool, train_on_gold: bool, role: str) -> Policy:
        """Supervisors only (on a team database the server checks it again)."""
        if role != "supervisor":
            raise AnnotatorError("only a supervisor changes the suggestion settings")
        value = Policy(show_others, train_on_gold)
        with self._db.write() as session:
            access.set_policy(session.connection(), value, team_member=self._db.team_member)
        return value

    # ----- storing ----------------------------------------------------------------------

    def store(
        self,
        document_id: int,
        source: str,
        suggestions: Iterable[Suggestion],
        *,
        for_annotator: int | None = None,
        from_others: bool = False,
        labels: dict[str, int] | None = None,
        skip: Collection[tuple[int, int, int]] = (),
        limit: int | None = None,
    ) -> int:
        """Replace what ``source`` suggested for this document (for one annotator, or everyone).
        Suggestions naming a label the database does not have are left out, and so are those in
        ``skip`` ((label id, start, end): spans the annotator already has, which would never be
        shown). ``limit`` keeps only that many, the best-scored."""
        label_ids = labels if labels is not None else self.label_ids()
        rows = [
            NewSuggestion(label_ids[s.label], s.start, s.end, min(max(float(s.score), 0.0), 1.0), s.version)
            for s in suggestions
            if s.label in label_ids and 0 <= s.start < s.end
        ]
        if skip:
            rows = [r for r in rows if (r.label_id, r.start, r.end) not in skip]
        if limit is not None and len(rows) > limit:
            rows = heapq.nlargest(limit, rows, key=lambda r: r.score)
        with self._db.write() as session:
            return access.replace(
                session.connection(),
                document_id,
                source,
                for_annotator,
                from_others,
                rows,
                team_member=self._db.team_member,
            )

    def label_ids(self) -> dict[str, int]:
        """Name -> id of the labels suggestions may name (not archived)."""
        from sqlalchemy import text

        with self._db.read_rows() as conn:
            return {
                name: i for i, name in conn.execute(text("SELECT id, name FROM label WHERE NOT archived"))
            }

    # ----- what one annotator sees ----------------------------------------------------

    def visible(
        self,
        document_id: int,
        annotator_id: int,
        text: str,
        *,
        threshold: float = 0.0,
        spans: Iterable[tuple[int, int, int]] = (),
    ) -> list[SuggestionInfo]:
        """Suggestions for this annotator above ``threshold``, minus those they rejected (the
        phrase with that label, anywhere) and those they already have as spans ((label, start,
        end) in ``spans``). One per (label, start, end): the best-scored source wins."""
        with self._db.read_rows() as conn:
            show_others = access.policy(conn).show_others
            rows = access.visible(conn, document_id, annotator_id, threshold, show_others)
            rejected = access.rejections(conn, annotator_id) if rows else []
        refused_phrases = {(label, phrase) for label, phrase, *_ in rejected}
        refused_exact = {(label, doc, start, end) for label, _p, doc, start, end in rejected}
        have = set(spans)
        length = len(text)
        best: dict[tuple[int, int, int], SuggestionInfo] = {}
        for row in rows:
            s = SuggestionInfo._make(row)
            key = (s.label_id, s.start, s.end)
            if key in have or s.end > length or key in best:  # (rows come best score first)
                continue
            if refused_exact and (s.label_id, document_id, s.start, s.end) in refused_exact:
                continue
            if refused_phrases and (s.label_id, phrase_key(text[s.start : s.end])) in refused_phrases:
                continue
            best[key] = s
        return list(best.values())  # (in the rows' order: by start, end, best score)

    def accept(self, suggestion: SuggestionInfo, annotator_id: int, label_id: int | None = None) -> SpanInfo:
        """The annotator's span for this suggestion (under ``label_id`` when relabelled), made by
        the same service call as a key press. The desk pushes it on its undo stack."""
        return self._annotations.add(
            suggestion.document_id,
            annotator_id,
            suggestion.label_id if label_id is None else label_id,
            suggestion.start,
            suggestion.end,
        )

    def accept_all(self, document_id: int, annotator_id: int, text: str, threshold: float) -> list[SpanInfo]:
        """Every visible suggestion at or above ``threshold`` in this document becomes a span;
        where two labels overlap both are accepted (they are different spans)."""
        have = [(s.label_id, s.start, s.end) for s in self._annotations.spans_for(document_id, annotator_id)]
        made = []
        for suggestion in self.visible(document_id, annotator_id, text, threshold=threshold, spans=have):
            made.append(self.accept(suggestion, annotator_id))
        return made

    def reject(self, suggestion: SuggestionInfo, annotator_id: int, text: str) -> None:
        phrase = phrase_key(text[suggestion.start : suggestion.end])
        with self._db.write() as session:
            access.reject(
                session.connection(),
                annotator_id,
                suggestion.document_id,
                suggestion.label_id,
                suggestion.start,
                suggestion.end,
                phrase,
                team_member=self._db.team_member,
            )

    def rejections(self, annotator_id: int) -> list[tuple[int, str, int, int, int]]:
        with self._db.read_rows() as conn:
            return access.rejections(conn, annotator_id)

    @staticmethod
    def above(suggestions: Sequence[SuggestionInfo], threshold: float) -> list[SuggestionInfo]:
        return [s for s in suggestions if s.score >= threshold]
