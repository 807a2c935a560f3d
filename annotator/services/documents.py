"""Documents as an annotator sees them: the list with their status and counts, the text, the status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from annotator.domain.errors import AnnotatorError
from annotator.domain.records import STATUSES
from annotator.services.models import DocumentContent, DocumentSummary
from annotator.store import team_api
from annotator.store.database import Database
from annotator.store.tables import Annotator, Document, DocumentStatus, Span, utcnow


@dataclass(frozen=True)
class DeletedDocument:
    uid: str
    title: str
    spans: dict[str, int]  # annotator name -> how many of their spans were deleted

    def summary(self) -> str:
        who = ", ".join(f"{n} of {name}" for name, n in self.spans.items()) or "none"
        return f"deleted document '{self.uid}' ({self.title}) and {sum(self.spans.values())} spans: {who}"


class DocumentService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self) -> int:
        with self._db.read() as session:
            return session.exec(select(func.count()).select_from(Document)).one()

    def list_for(self, annotator_id: int) -> list[DocumentSummary]:
        """Every document with this annotator's status and span count (one query, no texts loaded)."""
        if self._db.team_member:  # one annotator's counts, not every visible span (migration 0005)
            counts = team_api.span_counts(annotator_id)
        else:
            counts = (
                select(Span.document_id, func.count().label("n"))
                .where(Span.annotator_id == annotator_id)
                .group_by(Span.document_id)
                .subquery()
            )
        status = (
            select(DocumentStatus.document_id, DocumentStatus.status)
            .where(DocumentStatus.annotator_id == annotator_id)
            .subquery()
        )
        query = (
            select(
                Document.id,
                Document.uid,
                Document.title,
                Document.length,
                status.c.status,
                counts.c.n,
            )
            .outerjoin(counts, counts.c.document_id == Document.id)
            .outerjoin(status, status.c.document_id == Document.id)
            .order_by(Document.position, Document.id)
        )
        with self._db.read() as session:
            rows = session.exec(query).all()
        return [
            DocumentSummary(doc_id, uid, title, length or 0, state or "todo", n or 0)
            for doc_id, uid, title, length, state, n in rows
        ]

    def get(self, document_id: int) -> DocumentContent:
        with self._db.read() as session:
            doc = session.get(Document, document_id)
            if doc is None:
                raise AnnotatorError(f"document {document_id} does not exist")
            assert doc.id is not None
            return DocumentContent(doc.id, doc.uid, doc.title, doc.text)

    def set_status(self, document_id: int, annotator_id: int, status: str) -> None:
        if status not in STATUSES:
            raise AnnotatorError(f"unknown status '{status}'; use one of {', '.join(STATUSES)}")
        with self._db.write() as session:
            if self._db.team_member:  # migration 0005: the function refuses what is not yours
                team_api.set_status(session.connection(), document_id, annotator_id, status)
                return
            row = session.get(DocumentStatus, (document_id, annotator_id))
            if row is None:
                row = DocumentStatus(document_id=document_id, annotator_id=annotator_id)
            row.status = status
            row.updated_at = utcnow()
            session.add(row)

    def delete(self, uid: str) -> DeletedDocument:
        """Delete a document with every span and status on it: the owner's action (on a team
        database nobody else may; documents are otherwise never changed once imported). Returns
        what was deleted, spans counted per annotator."""
        if self._db.team_member:
            raise AnnotatorError(
                "only the database's owner (the administrator account) deletes documents; nothing was deleted"
            )
        with self._db.write() as session:
            doc = session.exec(select(Document).where(Document.uid == uid).with_for_update()).first()
            if doc is None:
                raise AnnotatorError(f"there is no document '{uid}'; nothing was deleted")
            counts = session.exec(
                select(Annotator.name, func.count())
                .join(Span, Span.annotator_id == Annotator.id)  # type: ignore[arg-type]
                .where(Span.document_id == doc.id)
                .group_by(Annotator.name)
                .order_by(Annotator.name)
            ).all()
            session.delete(doc)  # the spans and statuses go with it (ON DELETE CASCADE)
            session.flush()
            return DeletedDocument(uid, doc.title, dict(counts))

    def status_of(self, document_id: int, annotator_id: int) -> str:
        with self._db.read() as session:
            row = session.get(DocumentStatus, (document_id, annotator_id))
            return row.status if row else "todo"
