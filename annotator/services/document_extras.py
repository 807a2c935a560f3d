"""What an export carries besides spans and statuses: document labels, comments, and the guideline
version each finished document was annotated under. Read per batch of documents, for the
annotators the export covers and only the rows the caller may read (a team member's reads go
through migration 0007's views)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Boolean, Connection, DateTime, Integer, String, column, func, select, table

from annotator.domain.records import DocumentLabelRecord, DocumentRecord

document_label_t = table(
    "document_label",
    column("document_id", Integer),
    column("annotator_id", Integer),
    column("label_id", Integer),
    column("created_at", DateTime),
)
document_comment_t = table(
    "document_comment",
    column("document_id", Integer),
    column("annotator_id", Integer),
    column("text", String),
    column("updated_at", DateTime),
)
status_version_t = table(
    "document_status",
    column("document_id", Integer),
    column("annotator_id", Integer),
    column("status", String),
    column("guidelines_version", Integer),
)
label_kind_t = table(
    "label",
    column("id", Integer),
    column("name", String),
    column("kind", String),
    column("label_set", String),
    column("position", Integer),
    column("multiple", Boolean),
    column("archived", Boolean),
)


@dataclass
class DocumentExtras:
    labels: dict[int, list[DocumentLabelRecord]] = field(default_factory=lambda: defaultdict(list))
    comments: dict[int, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    guidelines: dict[int, dict[str, int | None]] = field(default_factory=lambda: defaultdict(dict))

    def apply(self, doc_id: int, record: DocumentRecord) -> DocumentRecord:
        record.document_labels = self.labels.get(doc_id, [])
        record.comments = self.comments.get(doc_id, {})
        record.guidelines = {
            name: v for name, v in self.guidelines.get(doc_id, {}).items() if name in record.status
        }
        return record


def document_label_sets(conn: Connection) -> list[tuple[str, bool, list[str]]]:
    """(set name, multiple, [label names]) of the document labels not archived, in palette order."""
    c = label_kind_t.c
    query = (
        select(c.name, c.label_set, c.multiple)
        .where(c.kind == "document", c.archived == False)  # noqa: E712
        .order_by(c.position, c.id)
    )
    sets: dict[str, tuple[bool, list[str]]] = {}
    for name, label_set, multiple in conn.execute(query):
        sets.setdefault(label_set or "", (bool(multiple), []))[1].append(name)
    return [(name, multiple, names) for name, (multiple, names) in sets.items()]


def read_extras(
    conn: Connection, doc_ids: list[int], annotators: dict[int, str], done_only: bool
) -> DocumentExtras:
    extras = DocumentExtras()
    if not annotators or not doc_ids:
        return extras
    who = list(annotators)
    s = status_version_t.c
    done: set[tuple[int, int]] = set()
    for doc_id, ann_id, status, version in conn.execute(
        select(s.document_id, s.annotator_id, s.status, s.guidelines_version).where(
            s.document_id.in_(doc_ids), s.annotator_id.in_(who)
        )
    ):
        if status == "done":
            done.add((doc_id, ann_id))
        extras.guidelines[doc_id][annotators[ann_id]] = version
    k = label_kind_t.c
    labels = {i: (name, label_set) for i, name, label_set in conn.execute(select(k.id, k.name, k.label_set))}
    d = document_label_t.c
    for doc_id, ann_id, label_id in conn.execute(
        select(d.document_id, d.annotator_id, d.label_id)
        .where(d.document_id.in_(doc_ids), d.annotator_id.in_(who))
        .order_by(d.document_id, d.annotator_id, d.label_id)
    ):
        if done_only and (doc_id, ann_id) not in done:
            continue
        name, label_set = labels[label_id]
        extras.labels[doc_id].append(DocumentLabelRecord(name, annotators[ann_id], label_set or ""))
    m = document_comment_t.c
    for doc_id, ann_id, body in conn.execute(
        select(m.document_id, m.annotator_id, m.text).where(
            m.document_id.in_(doc_ids), m.annotator_id.in_(who)
        )
    ):
        extras.comments[doc_id][annotators[ann_id]] = body
    for doc_id in extras.labels:
        extras.labels[doc_id].sort(key=lambda r: (r.annotator, r.label))
    return extras


def document_label_values(
    conn: Connection, names: dict[int, str], chosen: set[str]
) -> tuple[dict[str, frozenset[str]], dict[tuple[str, str], frozenset[str]]]:
    """For document-label agreement: document id (as text) -> the chosen annotators who finished
    it, and (document, annotator) -> the document labels they gave it."""
    s = status_version_t.c
    done: dict[str, set[str]] = defaultdict(set)
    for doc_id, ann_id in conn.execute(select(s.document_id, s.annotator_id).where(s.status == "done")):
        if names[ann_id] in chosen:
            done[str(doc_id)].add(names[ann_id])
    k = label_kind_t.c
    label_names = dict(conn.execute(select(k.id, k.name)).all())
    given: dict[tuple[str, str], set[str]] = defaultdict(set)
    d = document_label_t.c
    for doc_id, ann_id, label_id in conn.execute(select(d.document_id, d.annotator_id, d.label_id)):
        if names[ann_id] in done.get(str(doc_id), ()):
            given[(str(doc_id), names[ann_id])].add(label_names[label_id])
    return {k: frozenset(v) for k, v in done.items()}, {k: frozenset(v) for k, v in given.items()}


def document_data_fingerprint(conn: Connection, document_id: int | None) -> tuple[object, ...]:
    """Changes whenever an annotator's (not gold's) document labels or comments, those the caller
    may read, change: added to the review window's change check."""
    d, m = document_label_t.c, document_comment_t.c
    people = table("annotator", column("id", Integer), column("role", String))
    gold = func.coalesce(select(people.c.id).where(people.c.role == "gold").scalar_subquery(), -1)
    labels = select(func.count(), func.max(d.created_at), func.sum(d.label_id)).where(d.annotator_id != gold)
    comments = select(func.count(), func.max(m.updated_at)).where(m.annotator_id != gold)
    if document_id is not None:
        labels = labels.where(d.document_id == document_id)
        comments = comments.where(m.document_id == document_id)
    return (*conn.execute(labels).one(), *conn.execute(comments).one())
