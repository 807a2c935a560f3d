"""Assigning documents to annotators, and each annotator's queue.

A supervisor plans by rule (domain/assignment_plan.py) or by hand; the plan is stored in the
table ``assignment`` (migration 0008). Re-planning replaces the plan but keeps every document an
annotator already worked on (spans or a status) in that annotator's queue. An annotator reads
only their own queue: on PostgreSQL the database returns nothing else, and nothing here tells who
else has a document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from annotator.domain.assignment_plan import AnnotatorLoad, Plan, plan_by_hand, plan_by_rule
from annotator.domain.errors import AnnotatorError
from annotator.services.models import DocumentSummary
from annotator.services.team.permissions import check_supervisor
from annotator.store import assignments as store
from annotator.store.database import Database

RULES = ("n", "sample")


@dataclass(frozen=True)
class Holding:
    """One person and a selection of documents: how many of them are in their queue, and how
    many of them they already worked on (a span, or a status past 'todo')."""

    annotator_id: int
    name: str
    role: str
    assigned: int
    worked: int


@dataclass(frozen=True)
class PlanSummary:
    """What a plan does (or, on a dry run, would do)."""

    description: str
    documents: int  # documents in the plan
    rows: int  # assignments in the plan
    sample: int  # documents in the agreement sample
    kept: int  # assignments kept because of work done
    removed: int  # stored assignments the plan drops
    loads: list[tuple[str, AnnotatorLoad]] = field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would assign" if self.dry_run else "assigned"
        head = [
            f"{self.description}: {verb} {self.rows:,} assignments of {self.documents:,} documents"
            f" ({self.sample:,} in the agreement sample; {self.kept:,} kept for work done;"
            f" {self.removed:,} earlier assignments dropped)",
            f"{'annotator':<24} {'documents':>10} {'total length':>14} {'sample docs':>12}",
        ]
        body = [f"{name:<24} {x.documents:>10,} {x.length:>14,} {x.sample:>12,}" for name, x in self.loads]
        tail = ["(dry run: nothing was stored)"] if self.dry_run else []
        return head + body + tail


class AssignmentService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ----- planning (supervisors) --------------------------------------------------------

    def assign_by_rule(
        self,
        *,
        by: str | None,
        annotators: list[str] | None = None,
        n: int = 1,
        sample_percent: float = 0.0,
        seed: int = 0,
        dry_run: bool = False,
    ) -> PlanSummary:
        """Every document to n annotators, sample_percent % of them to everyone (the sample).
        Replaces the stored plan; work done stays with who did it."""
        with self._db.write() as session:
            conn = session.connection()
            check_supervisor(self._db, conn, by, "assigns documents")
            people = self._people(conn, annotators)
            documents = store.document_lengths(conn)
            if not documents:
                raise AnnotatorError("there are no documents to assign; import some first")
            plan = plan_by_rule(
                documents,
                list(people.values()),
                n=n,
                sample_percent=sample_percent,
                seed=seed,
                worked=store.worked_pairs(conn),
            )
            when = datetime.now(UTC)
            batch = f"rule n={n} sample={sample_percent:g}% seed={seed} at {when:%Y-%m-%d %H:%M:%S} UTC"
            planned = {(d, a) for d, a, _p, _s in plan.rows}
            stored = {(d, a): (p, s) for d, a, p, s in store.placed(conn)}
            removed = [pair for pair in stored if pair not in planned]
            # Rows the plan leaves as they are keep their batch: only changes are written.
            changed = [(d, a, p, batch, s) for d, a, p, s in plan.rows if stored.get((d, a)) != (p, s)]
            if not dry_run:
                store.write(conn, removed, changed, when)
            return self._summary(conn, plan, people, documents, batch, len(removed), dry_run)

    def assign_by_hand(
        self, *, by: str | None, documents: list[int], annotators: list[str], dry_run: bool = False
    ) -> PlanSummary:
        """Each of the documents to each of the annotators (added to the end of their queues)."""
        with self._db.write() as session:
            conn = session.connection()
            check_supervisor(self._db, conn, by, "assigns documents")
            people = self._people(conn, annotators)
            _check_documents(conn, documents)
            plan, batch, rows = _hand_plan(documents, list(people.values()), store.placed(conn))
            if not dry_run:
                store.write(conn, [], rows, datetime.now(UTC))
            lengths = dict(store.document_lengths(conn))
            chosen = [(d, lengths[d]) for d in dict.fromkeys(documents)]
            return self._summary(conn, plan, people, chosen, batch, 0, dry_run)

    def unassign(self, *, by: str | None, documents: list[int], annotators: list[str]) -> int:
        """Take documents out of annotators' queues (their work, if any, stays)."""
        with self._db.write() as session:
            conn = session.connection()
            check_supervisor(self._db, conn, by, "assigns documents")
            people = self._people(conn, annotators)
            pairs = [(d, a) for d in documents for a in people.values()]
            store.write(conn, pairs, [], datetime.now(UTC))
            return len(pairs)

    def change_by_hand(
        self, *, by: str | None, documents: list[int], add: list[str], remove: list[str]
    ) -> tuple[int, int]:
        """One change from the Assign dialog, in one transaction: ``documents`` to the people in
        ``add`` (appended to their queues; pairs already there stay where they are) and out of the
        queues of the people in ``remove`` (their spans and statuses stay). (added, removed) rows."""
        if set(add) & set(remove):
            raise AnnotatorError("a person cannot be both given and relieved of the same documents")
        if not documents:
            raise AnnotatorError("choose at least one document to assign")
        with self._db.write() as session:
            conn = session.connection()
            check_supervisor(self._db, conn, by, "assigns documents")
            _check_documents(conn, documents)
            stored = store.placed(conn)
            added: list[store.Added] = []
            if add:
                _, _, added = _hand_plan(documents, list(self._people(conn, add).values()), stored)
            removed: list[tuple[int, int]] = []
            if remove:
                have = {(d, a) for d, a, *_rest in stored}
                takers = self._people(conn, remove).values()
                removed = [(d, a) for d in dict.fromkeys(documents) for a in takers if (d, a) in have]
            if added or removed:
                store.write(conn, removed, added, datetime.now(UTC))
            return len(added), len(removed)

    def clear(self, *, by: str | None, dry_run: bool = False) -> tuple[int, int]:
        """Drop the plan except what someone already worked on: (removed, kept)."""
        with self._db.write() as session:
            conn = session.connection()
            check_supervisor(self._db, conn, by, "assigns documents")
            worked = store.worked_pairs(conn)
            stored = [(d, a) for d, a, _p, _s in store.placed(conn)]
            removed = [pair for pair in stored if pair not in worked]
            if not dry_run:
                store.write(conn, removed, [], datetime.now(UTC))
            return len(removed), len(stored) - len(removed)

    # ----- reading -----------------------------------------------------------------------

    def document_ids(self, uids: list[str]) -> list[int]:
        """The ids of documents named by their external ids (as exported), in that order."""
        with self._db.read_rows() as conn:
            found: dict[str, int] = {}
            for part in range(0, len(uids), 500):
                chunk = uids[part : part + 500]
                marks = ", ".join(f":u{i}" for i in range(len(chunk)))
                query = text(f"SELECT uid, id FROM document WHERE uid IN ({marks})")
                found.update(conn.execute(query, {f"u{i}": u for i, u in enumerate(chunk)}).all())
        missing = [u for u in uids if u not in found]
        if missing:
            raise AnnotatorError(f"no document with the id '{missing[0]}'; nothing was assigned")
        return [found[u] for u in uids]

    def holdings(self, documents: list[int], *, by: str | None) -> list[Holding]:
        """Everyone who can be assigned work (not the gold layer), annotators first, and how many
        of ``documents`` each has in their queue and has worked on (supervisors only)."""
        with self._db.read_rows() as conn:
            check_supervisor(self._db, conn, by, "sees who has which documents")
            people = conn.execute(text("SELECT id, name, role FROM annotator WHERE role <> 'gold'")).all()
            assigned, worked = store.holdings(conn, documents)
        people = sorted(people, key=lambda p: (p[2] != "annotator", p[1]))
        return [Holding(i, n, r, assigned.get(i, 0), worked.get(i, 0)) for i, n, r in people]

    def queue(self, annotator_id: int) -> list[int]:
        """The annotator's assigned documents, in queue order."""
        with self._db.read_rows() as conn:
            return [d for d, *_rest in store.rows(conn, annotator_id)]

    def queue_first(
        self, documents: list[DocumentSummary], annotator_id: int
    ) -> tuple[list[DocumentSummary], dict[int, int]]:
        """The document list with the annotator's queue first (in queue order), then the rest
        as they were; and document id -> place in the queue (1 = first)."""
        queue = self.queue(annotator_id)
        place = {doc: i + 1 for i, doc in enumerate(queue)}
        if not place:
            return documents, place
        first = sorted((d for d in documents if d.id in place), key=lambda d: place[d.id])
        return first + [d for d in documents if d.id not in place], place

    def all_rows(self) -> list[tuple[int, int, int, str, bool]]:
        """Every assignment the caller may see (a supervisor: all; an annotator on PostgreSQL:
        their own): (document, annotator, position, batch, sample)."""
        with self._db.read_rows() as conn:
            return [(d, a, p, b, bool(s)) for d, a, p, b, s in store.rows(conn)]

    # ----- helpers -----------------------------------------------------------------------

    @staticmethod
    def _people(conn: Connection, names: list[str] | None) -> dict[str, int]:
        """name -> id of the chosen annotators (default: everyone whose role is annotator)."""
        rows = dict(
            conn.execute(text("SELECT name, id FROM annotator WHERE role <> 'gold' ORDER BY name")).all()
        )
        if not names:
            roles = dict(conn.execute(text("SELECT name, role FROM annotator")).all())
            chosen = {n: i for n, i in rows.items() if roles[n] == "annotator"}
            if not chosen:
                raise AnnotatorError("nobody to assign to: no annotators yet (they sign in once first)")
            return chosen
        missing = [n for n in names if n not in rows]
        if missing:
            known = ", ".join(rows) or "none"
            raise AnnotatorError(f"no annotator named '{missing[0]}' (known: {known}); nothing was assigned")
        return {n: rows[n] for n in dict.fromkeys(names)}

    @staticmethod
    def _summary(
        conn: Connection,
        plan: Plan,
        people: dict[str, int],
        documents: list[tuple[int, int]],
        batch: str,
        removed: int,
        dry_run: bool,
    ) -> PlanSummary:
        names = {i: n for n, i in conn.execute(text("SELECT name, id FROM annotator")).all()}
        loads = plan.loads(dict(documents), people.values())
        return PlanSummary(
            description=batch.split(" at ")[0],
            documents=len(documents),
            rows=len(plan.rows),
            sample=len(plan.sample),
            kept=plan.kept,
            removed=removed,
            loads=[(names.get(x.annotator_id, str(x.annotator_id)), x) for x in loads],
            dry_run=dry_run,
        )


def _check_documents(conn: Connection, documents: list[int]) -> None:
    known = set(store.existing_documents(conn, documents))
    unknown = [d for d in documents if d not in known]
    if unknown:
        raise AnnotatorError(f"no document with id {unknown[0]}; nothing was assigned")


def _hand_plan(
    documents: list[int], people: list[int], stored: Sequence[tuple[Any, ...]]
) -> tuple[Plan, str, list[store.Added]]:
    """The documents appended to these people's queues (pairs already planned stay where they
    are): the plan, its batch name and the rows to write."""
    next_position: dict[int, int] = {}
    for _d, a, position, *_rest in stored:
        next_position[a] = max(next_position.get(a, 0), position + 1)
    plan = plan_by_hand(
        documents, people, next_position=next_position, already=[(d, a) for d, a, *_rest in stored]
    )
    batch = f"by hand at {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC"
    return plan, batch, [(d, a, p, batch, s) for d, a, p, s in plan.rows]
