"""Import: the document labels and comments of parsed records, stored after their documents.

Merge semantics as for spans: a document label already stored is not added twice; a comment is
added where the annotator has none on that document (a stored comment is never overwritten). A
document label the database does not have as a document label is refused, naming the field
(``--create-labels`` adds it as a document label)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, insert, select

from annotator.domain.labels import PALETTE
from annotator.domain.records import FormatError
from annotator.store import team_document_api
from annotator.store.core_tables import comment_t, document_label_t, label_t

if TYPE_CHECKING:
    from annotator.services.importing import ParsedRecord


class DocumentDataWriter:
    def __init__(self, path: str, *, create_labels: bool, team_member: bool) -> None:
        self.path = path
        self._create_labels = create_labels
        self._team_member = team_member
        self._labels: set[tuple[int, int, str]] = set()  # (document, annotator, label name)
        self._comments: dict[tuple[int, int], str] = {}
        self._where: dict[str, tuple[int | None, int]] = {}  # label name -> (line, index) for messages

    @staticmethod
    def names(batch: list[ParsedRecord]) -> set[str]:
        """The annotators the batch's document labels and comments name."""
        return {d.annotator for p in batch for d in p.record.document_labels} | {
            n for p in batch for n in p.record.comments
        }

    def collect(self, batch: list[ParsedRecord], doc_ids: list[int], annotators: dict[str, int]) -> None:
        for parsed, doc_id in zip(batch, doc_ids, strict=True):
            for i, item in enumerate(parsed.record.document_labels):
                self._labels.add((doc_id, annotators[item.annotator], item.label))
                self._where.setdefault(item.label, (parsed.line, i))
            for name, body in parsed.record.comments.items():
                if body.strip():
                    self._comments.setdefault((doc_id, annotators[name]), body.strip())

    def write(self, conn: Connection) -> list[str]:
        """Stores what was collected; returns the names of labels it added (--create-labels)."""
        if not self._labels and not self._comments:
            return []
        added = self._resolve_labels(conn)
        ids = {name: i for i, name, _ in conn.execute(select(label_t.c.id, label_t.c.name, label_t.c.kind))}
        rows = {(d, a, ids[name]) for d, a, name in self._labels}
        if self._team_member:
            for d, a, lab in sorted(rows):
                team_document_api.set_document_label(conn, d, a, lab, True)
            for (d, a), body in self._comments.items():
                stored = conn.execute(
                    select(comment_t.c.text).where(
                        comment_t.c.document_id == d, comment_t.c.annotator_id == a
                    )
                ).scalar()
                if stored is None:
                    team_document_api.set_document_comment(conn, d, a, body)
            return added
        c = document_label_t.c
        docs = sorted({d for d, _, _ in rows} | {d for d, _ in self._comments})
        stored_labels: set[tuple[Any, ...]] = set()
        stored_comments: set[tuple[Any, ...]] = set()
        for i in range(0, len(docs), 500):
            part = docs[i : i + 500]
            stored_labels.update(
                tuple(r)
                for r in conn.execute(
                    select(c.document_id, c.annotator_id, c.label_id).where(c.document_id.in_(part))
                )
            )
            stored_comments.update(
                tuple(r)
                for r in conn.execute(
                    select(comment_t.c.document_id, comment_t.c.annotator_id).where(
                        comment_t.c.document_id.in_(part)
                    )
                )
            )
        now = datetime.now(UTC)
        new_labels = [
            {"document_id": d, "annotator_id": a, "label_id": lab, "created_at": now}
            for d, a, lab in sorted(rows - stored_labels)
        ]
        if new_labels:
            conn.execute(insert(document_label_t), new_labels)
        new_comments = [
            {"document_id": d, "annotator_id": a, "text": body, "updated_at": now}
            for (d, a), body in self._comments.items()
            if (d, a) not in stored_comments
        ]
        if new_comments:
            conn.execute(insert(comment_t), new_comments)
        return added

    def _resolve_labels(self, conn: Connection) -> list[str]:
        kinds = {name: kind for name, kind in conn.execute(select(label_t.c.name, label_t.c.kind))}
        wanted = sorted({name for _, _, name in self._labels})
        for name in wanted:
            if kinds.get(name, "document") != "document":
                line, i = self._where[name]
                raise FormatError(
                    self.path,
                    line,
                    f"'{name}' is a span label, not a document label",
                    f"document_labels[{i}].label",
                )
        missing = [name for name in wanted if name not in kinds]
        if missing and not self._create_labels:
            line, i = self._where[missing[0]]
            known = ", ".join(sorted(n for n, k in kinds.items() if k == "document")) or "none"
            raise FormatError(
                self.path,
                line,
                f"unknown document label '{missing[0]}' (this database's document labels: {known}); add it "
                "in the label editor or with `annotator labels add --document`, or import with --create-labels",
                f"document_labels[{i}].label",
            )
        if missing:
            position = conn.execute(select(func.coalesce(func.max(label_t.c.position), -1))).scalar_one()
            conn.execute(
                insert(label_t),
                [
                    {
                        "name": name,
                        "color": PALETTE[(len(kinds) + n) % len(PALETTE)],
                        "hotkey": None,
                        "description": "",
                        "position": position + 1 + n,
                        "archived": False,
                        "kind": "document",
                        "label_set": "",
                        "multiple": True,
                    }
                    for n, name in enumerate(missing)
                ],
            )
        return missing
