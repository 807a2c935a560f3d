"""What the first window reads, in SQLAlchemy Core: who signs in, the labels, a document, its spans
and its status. The ORM services do the same reads; these let the window open without waiting for
``import sqlmodel`` (0.4-0.9 s), which the services import when something is first changed."""

from __future__ import annotations

from sqlalchemy import text

from annotator.domain.errors import AnnotatorError
from annotator.perf import gc_paused
from annotator.services.models import AnnotatorInfo, DocumentContent, LabelInfo, SpanInfo
from annotator.store.database import Database
from annotator.store.queries import span_rows


class DeskReads:
    def __init__(self, db: Database) -> None:
        self._db = db

    def find_annotator(self, name: str) -> AnnotatorInfo | None:
        with self._db.read_rows() as conn:
            found = conn.execute(
                text("SELECT id, name, role FROM annotator WHERE name = :n"), {"n": name}
            ).first()
        return AnnotatorInfo(*found) if found else None

    def labels(self, *, include_archived: bool = False) -> list[LabelInfo]:
        where = "" if include_archived else " WHERE NOT archived"
        sql = (
            "SELECT id, name, color, hotkey, description, position, archived, kind, label_set, multiple "
            f"FROM label{where} ORDER BY position, id"
        )
        with self._db.read_rows() as conn:
            return [
                LabelInfo(
                    i, name, color, key, about, place, bool(archived), kind or "span", group or "", bool(many)
                )
                for i, name, color, key, about, place, archived, kind, group, many in conn.execute(text(sql))
            ]

    def document(self, document_id: int) -> DocumentContent:
        with self._db.read_rows() as conn:
            found = conn.execute(
                text("SELECT id, uid, title, text FROM document WHERE id = :i"), {"i": document_id}
            ).first()
        if found is None:
            raise AnnotatorError(f"document {document_id} does not exist")
        return DocumentContent(*found)

    def document_count(self) -> int:
        with self._db.read_rows() as conn:
            return int(conn.execute(text("SELECT count(*) FROM document")).scalar_one())

    def status_of(self, document_id: int, annotator_id: int) -> str:
        """(On a team database ``document_status`` is the view of migration 0005: the caller's rows.)"""
        with self._db.read_rows() as conn:
            found = conn.execute(
                text("SELECT status FROM document_status WHERE document_id = :d AND annotator_id = :a"),
                {"d": document_id, "a": annotator_id},
            ).scalar()
        return str(found) if found else "todo"

    def spans_for(self, document_id: int, annotator_id: int) -> list[SpanInfo]:
        """One annotator's spans on a document, in no particular order: the view and the span table
        sort them themselves (sorting 200,000 rows in SQL first cost a third of reading them)."""
        with gc_paused(), self._db.read_rows() as conn:
            if self._db.team_member:
                rows = span_rows(conn, document_id, annotator_id, team_member=True)
            else:
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                try:
                    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
                    # Not the two columns the query fixes: 200,000 rows (a 20 MB document) are
                    # read in about two thirds of the time.
                    cursor.execute(
                        'SELECT id, label_id, start, "end", note FROM span '
                        f"WHERE document_id = {marker} AND annotator_id = {marker}",
                        (document_id, annotator_id),
                    )
                    make = SpanInfo._make
                    d, a = document_id, annotator_id
                    # Row by row, not fetchall(): the fetched rows and the SpanInfos are not all
                    # alive at once (~20 MB less at the peak of a 200,000-span open).
                    return [make((i, d, a, label, start, end, note)) for i, label, start, end, note in cursor]
                finally:
                    cursor.close()
            make = SpanInfo._make
            return [make(row) for row in rows]
