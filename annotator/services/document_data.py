"""Document-level labels and document comments of one annotator: each change one transaction.

Document labels come in groups (a label's ``label_set``): in a single-choice group, giving a
document one label takes away the group's other label from it. Changing either starts a document
that was still to do (todo -> in progress), as a span does.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from annotator.domain.errors import AnnotatorError
from annotator.store import team_document_api
from annotator.store.core_tables import comment_t, document_label_t
from annotator.store.database import Database

if TYPE_CHECKING:
    from sqlmodel import Session

# The reads the desk makes before its first window shows use the Core tables; the writes and the
# review's reads import the ORM tables (store.tables, SQLModel) when first called.

COMMENT_LIMIT = 10_000


def clean_comment(text: str | None) -> str | None:
    cleaned = (text or "").strip()
    if len(cleaned) > COMMENT_LIMIT:
        raise AnnotatorError(f"the comment is too long ({len(cleaned)} characters; at most {COMMENT_LIMIT})")
    if "\x00" in cleaned:
        raise AnnotatorError("a comment cannot contain a NUL character")
    return cleaned or None


class DocumentDataService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ----- document labels ----------------------------------------------------------------

    def labels_of(self, document_id: int, annotator_id: int) -> frozenset[int]:
        c = document_label_t.c
        with self._db.read_rows() as conn:
            rows = conn.execute(
                select(c.label_id).where(c.document_id == document_id, c.annotator_id == annotator_id)
            )
            return frozenset(r[0] for r in rows)

    def toggled(self, document_id: int, annotator_id: int, label_id: int) -> frozenset[int]:
        """The labels the document would have after toggling ``label_id`` (single-choice groups
        keep one): what the desk stores with ``set_labels`` (and undo restores the old set)."""
        from annotator.store.tables import Label

        with self._db.read() as session:
            labels = {x.id: x for x in session.exec(select(Label)).scalars()}
        label = labels.get(label_id)
        present = set(self.labels_of(document_id, annotator_id))
        if label_id in present:
            present.discard(label_id)
        elif label is None or label.kind != "document":
            raise AnnotatorError(f"label {label_id} is not a document label")
        else:
            if not label.multiple:
                present = {i for i in present if i in labels and labels[i].label_set != label.label_set}
            present.add(label_id)
        return frozenset(present)

    def set_labels(self, document_id: int, annotator_id: int, label_ids: frozenset[int]) -> frozenset[int]:
        """Make the document's labels of this annotator exactly ``label_ids``."""
        from annotator.store.tables import DocumentLabel, Label

        with self._db.write() as session:
            labels = {x.id: x for x in session.exec(select(Label)).scalars()}
            conn = session.connection()
            c = DocumentLabel.__table__.c  # type: ignore[attr-defined]
            present = {
                r[0]
                for r in conn.execute(
                    select(c.label_id).where(c.document_id == document_id, c.annotator_id == annotator_id)
                )
            }
            # (only what is added: a label made a span label since may still be taken away)
            for label_id in label_ids - present:
                if label_id not in labels or labels[label_id].kind != "document":
                    raise AnnotatorError(f"label {label_id} is not a document label")
            if present == set(label_ids):
                return frozenset(present)
            if self._db.team_member:
                for label_id in present - label_ids:
                    team_document_api.set_document_label(conn, document_id, annotator_id, label_id, False)
                for label_id in label_ids - present:
                    team_document_api.set_document_label(conn, document_id, annotator_id, label_id, True)
                return frozenset(label_ids)
            gone = present - label_ids
            if gone:
                conn.execute(
                    delete(DocumentLabel.__table__).where(  # type: ignore[arg-type]
                        c.document_id == document_id, c.annotator_id == annotator_id, c.label_id.in_(gone)
                    )
                )
            for label_id in sorted(label_ids - present):
                session.add(
                    DocumentLabel(document_id=document_id, annotator_id=annotator_id, label_id=label_id)
                )
            self._mark_started(session, document_id, annotator_id)
            return frozenset(label_ids)

    def all_labels(self, document_id: int) -> dict[str, list[str]]:
        """Every annotator's document labels on one document that the caller may see: {name: [label]}."""
        from annotator.store.tables import Annotator, DocumentLabel, Label

        out: dict[str, list[str]] = defaultdict(list)
        with self._db.read() as session:
            c = DocumentLabel.__table__.c  # type: ignore[attr-defined]
            a, lab = Annotator.__table__.c, Label.__table__.c  # type: ignore[attr-defined]
            query = (
                select(a.name, lab.name)
                .select_from(DocumentLabel.__table__.join(Annotator.__table__).join(Label.__table__))  # type: ignore[attr-defined]
                .where(c.document_id == document_id)
                .order_by(a.name, lab.position, lab.id)
            )
            for who, label in session.connection().execute(query):
                out[who].append(label)
        return dict(out)

    # ----- comments -----------------------------------------------------------------------

    def comment(self, document_id: int, annotator_id: int) -> str | None:
        c = comment_t.c
        with self._db.read_rows() as conn:
            return conn.execute(
                select(c.text).where(c.document_id == document_id, c.annotator_id == annotator_id)
            ).scalar()

    def set_comment(self, document_id: int, annotator_id: int, text: str | None) -> str | None:
        """Store (or with an empty text delete) the annotator's comment on the document."""
        from annotator.store.tables import DocumentComment, utcnow

        body = clean_comment(text)
        with self._db.write() as session:
            if self._db.team_member:
                team_document_api.set_document_comment(session.connection(), document_id, annotator_id, body)
                return body
            row = session.get(DocumentComment, (document_id, annotator_id))
            if body is None:
                if row is not None:
                    session.delete(row)
                return None
            if row is None:
                row = DocumentComment(document_id=document_id, annotator_id=annotator_id, text=body)
            row.text, row.updated_at = body, utcnow()
            session.add(row)
            return body

    def commented_documents(self, annotator_id: int) -> frozenset[int]:
        """The documents this annotator left a comment on (the document list marks them)."""
        c = comment_t.c
        with self._db.read_rows() as conn:
            rows = conn.execute(select(c.document_id).where(c.annotator_id == annotator_id))
            return frozenset(r[0] for r in rows)

    def all_comments(self, document_id: int) -> dict[str, str]:
        """Every comment on the document the caller may see: {annotator name: comment}."""
        from annotator.store.tables import Annotator, DocumentComment

        with self._db.read() as session:
            c = DocumentComment.__table__.c  # type: ignore[attr-defined]
            a = Annotator.__table__.c  # type: ignore[attr-defined]
            query = (
                select(a.name, c.text)
                .select_from(DocumentComment.__table__.join(Annotator.__table__))  # type: ignore[attr-defined]
                .where(c.document_id == document_id)
                .order_by(a.name)
            )
            return {who: body for who, body in session.connection().execute(query)}

    @staticmethod
    def _mark_started(session: Session, document_id: int, annotator_id: int) -> None:
        from annotator.store.tables import DocumentStatus, utcnow

        row = session.get(DocumentStatus, (document_id, annotator_id))
        if row is None:
            session.add(
                DocumentStatus(document_id=document_id, annotator_id=annotator_id, status="in_progress")
            )
        elif row.status == "todo":
            row.status, row.updated_at = "in_progress", utcnow()
            session.add(row)
