"""What a recommender learns from: this annotator's own spans (the ones they accepted or made),
the gold layer's when a supervisor allows it, and the phrases they rejected.

Other annotators' spans only with ``others=True`` (the desk asks for them only when a supervisor
turned on "show suggestions built from other annotators' spans"), and only those the caller may
read: on a team database a member reads only their own, so only a supervisor's (or the owner's)
recommender learns from the team. ``used_others`` says whether any were used: suggestions built
from them are stored as such and hidden again when the supervisor turns the setting off.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, text

from annotator.domain.suggestions.model import Rejection, TrainingDocument, TrainingSpan
from annotator.store.core_tables import document_t, span_t
from annotator.store.database import Database
from annotator.store.suggestions import access


@dataclass(frozen=True, slots=True)
class TrainingData:
    documents: list[TrainingDocument]
    rejections: list[Rejection]
    used_gold: bool
    used_others: bool = False

    @property
    def signature(self) -> tuple[int, int, int]:
        """Changes whenever what a recommender would learn changes (retrain then)."""
        spans = sum(len(d.spans) for d in self.documents)
        return (spans, len(self.rejections), hash((self.used_others, tuple(d.spans for d in self.documents))))


def gather_training(
    db: Database, annotator_id: int, *, gold: bool | None = None, others: bool | None = None
) -> TrainingData:
    """gold, others: None follows the supervisor's settings (suggestion_policy)."""
    with db.read_rows() as conn:
        policy = access.policy(conn)
        use_gold = policy.train_on_gold if gold is None else gold
        use_others = policy.show_others if others is None else others
        names = dict(conn.execute(text("SELECT id, name FROM label")).all())
        by_doc: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
        own = select(span_t.c.document_id, span_t.c.label_id, span_t.c.start, span_t.c.end).where(
            span_t.c.annotator_id == annotator_id
        )
        for doc, label, start, end in conn.execute(own):
            by_doc[doc].add((start, end, label))
        used_others = False
        if use_others:
            gold_ids = [i for (i,) in conn.execute(text("SELECT id FROM annotator WHERE role = 'gold'"))]
            people = select(span_t.c.document_id, span_t.c.label_id, span_t.c.start, span_t.c.end).where(
                span_t.c.annotator_id != annotator_id,
                span_t.c.annotator_id.not_in(gold_ids),
            )
            for doc, label, start, end in conn.execute(people):
                by_doc[doc].add((start, end, label))
                used_others = True
        if use_gold:
            for doc, label, start, end in access.gold_spans(conn, team_member=db.team_member):
                by_doc[doc].add((start, end, label))
        texts: dict[int, str] = {}
        if by_doc:
            query = select(document_t.c.id, document_t.c.text).where(document_t.c.id.in_(list(by_doc)))
            texts = dict(conn.execute(query).all())  # type: ignore[arg-type]
        rejected = access.rejections(conn, annotator_id)
    documents = [
        TrainingDocument(texts[doc], tuple(TrainingSpan(s, e, names[label]) for s, e, label in sorted(spans)))
        for doc, spans in sorted(by_doc.items())
        if doc in texts
    ]
    rejections = list(dict.fromkeys(Rejection(phrase, names[label]) for label, phrase, *_ in rejected))
    return TrainingData(documents, rejections, use_gold, used_others)
