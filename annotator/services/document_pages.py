"""The document list as pages: filtered, sorted and counted in the database, never loaded whole.

A project of 100,000 documents shows its first rows as fast as one of ten: the list asks for the
number of rows and for the page on screen; scrolling asks for more pages. Filters (status, a
needle matched in titles, ids and text) and the sort order are SQL, so a page is one indexed query.
Text search uses the index of migration 0009 (SQLite FTS5 trigrams, PostgreSQL pg_trgm) and
counts the hits of each row of a page in Python, on code points (domain/text_search.py). A needle
of one or two code points ("税", "関税") is too short for a trigram index: one pass over the texts
finds the documents it is in, remembered until documents are added or deleted; when it is in many,
the list's order is followed row by row instead, so a page (or the capped count) is found as soon
as there are enough rows (benchmarks/bench_search.py measures both).

SQLAlchemy Core only: the first window must not wait for the ORM (``import sqlmodel``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, text

from annotator.domain.text_search import case_class_regex, case_variants, count_matches, indexed, like_pattern
from annotator.services.models import DocumentSummary
from annotator.store.database import Database

UNFINISHED = "unfinished"  # the status filter for "to do or in progress"
COMMON = 2000  # a needle in more documents than this is searched row by row (SQLite)
STATUS_FILTERS = ("", "todo", "in_progress", "done", UNFINISHED)
_STATUS = "coalesce(s.status, 'todo')"
_OWN_COUNT = "(SELECT count(*) FROM span x WHERE x.document_id = d.id AND x.annotator_id = :me)"
QUEUE_LAST = 2**31 - 1  # the sort key of a document outside the queue (after every queued one)
_STATUS_RANK = f"CASE {_STATUS} WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 ELSE 2 END"


@dataclass(frozen=True)
class DocumentQuery:
    """What the list shows: one annotator's view, filtered and sorted."""

    annotator_id: int
    needle: str = ""  # matched case-insensitively in title, id and text
    status: str = ""  # one of STATUS_FILTERS
    sort: str = "position"  # a key of DocumentPages.sort_keys
    descending: bool = False
    queue_first: bool = False  # the import order puts this annotator's queue first (issue 13)

    def with_(self, **changes: Any) -> DocumentQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class DocumentPage:
    rows: list[DocumentSummary]
    hits: dict[int, int]  # document id -> matches of the needle in its text (when searching)


class DocumentPages:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._commonness: dict[str, bool] = {}
        self._rare_ids: dict[str, tuple[tuple[Any, ...], list[int] | None]] = {}
        title = "d.title COLLATE NOCASE" if db.is_sqlite else "lower(d.title)"
        # Sort keys: SQL expressions over d (document), s (this annotator's status) and n (span
        # count); more can be added (e.g. an "assigned to me" marker) without touching the list.
        self.sort_keys: dict[str, str] = {
            "position": "d.position",
            "title": title,
            "length": "d.length",
            "status": _STATUS_RANK,
            "spans": "coalesce(c.n, 0)" if db.team_member else _OWN_COUNT,
        }

    # ----- SQL ---------------------------------------------------------------------------

    def _from(self, query: DocumentQuery, *, counts: bool) -> str:
        joins = "FROM document d LEFT JOIN document_status s ON s.document_id = d.id AND s.annotator_id = :me"
        if self._queued(query):  # on a team database this reads the member's own rows (view, 0008)
            joins += " LEFT JOIN assignment q ON q.document_id = d.id AND q.annotator_id = :me"
        if counts and self._db.team_member:  # migration 0005: one annotator's counts, by function
            joins += " LEFT JOIN annotator_span_counts(:me) c ON c.document_id = d.id"
        return joins

    def _count_column(self) -> str:
        return ("coalesce(c.n, 0)" if self._db.team_member else _OWN_COUNT) + " AS n"

    def _where(self, query: DocumentQuery) -> tuple[str, dict[str, Any]]:
        clauses, params = [], {"me": query.annotator_id}
        if query.status == UNFINISHED:
            clauses.append(f"{_STATUS} <> 'done'")
        elif query.status:
            if query.status not in STATUS_FILTERS:
                raise ValueError(f"unknown status filter {query.status!r}")
            clauses.append(f"{_STATUS} = :status")
            params["status"] = query.status
        needle = query.needle.strip()
        if needle:
            params["pattern"] = like_pattern(needle)
            esc = "ESCAPE '\\'"
            if not indexed(needle):  # too short for the trigram indexes: row by row
                found = self._short(needle, params)
                rare = self._rare(needle, found, params)
                if rare is not None:  # the few documents with it: by id (still checked, see _rare)
                    clauses.append(f"d.id IN ({', '.join(map(str, rare))})" if rare else "0 = 1")
            elif self._db.is_sqlite and self._common(needle):
                # Most documents match: checking each row in the list's order finds a page (or a
                # capped count) at once, where the index would first list every match.
                found = [f"d.{c} LIKE :pattern {esc}" for c in ("title", "text", "uid")]
            elif self._db.is_sqlite:
                # The FTS5 trigram index answers LIKE (migration 0009), but not with ESCAPE: it gets
                # the needle as it is, where a % or _ matches more; those candidates are checked.
                params["candidates"] = f"%{needle}%"
                found = [
                    "d.id IN (SELECT rowid FROM document_search WHERE title LIKE :candidates "
                    "UNION SELECT rowid FROM document_search WHERE text LIKE :candidates "
                    f"UNION SELECT id FROM document WHERE uid LIKE :pattern {esc})"
                ]
                if "%" in needle or "_" in needle:
                    clauses.append(
                        f"(d.title LIKE :pattern {esc} OR d.text LIKE :pattern {esc} OR d.uid LIKE :pattern {esc})"
                    )
            else:  # pg_trgm's GIN indexes answer ILIKE
                found = [f"d.{c} ILIKE :pattern {esc}" for c in ("title", "text", "uid")]
            clauses.append("(" + " OR ".join(found) + ")")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _short(self, needle: str, params: dict[str, Any]) -> list[str]:
        """Clauses for a needle of one or two code points, checked against each row's text in one
        pass. Measured on 100,000 texts (benchmarks/bench_search.py): folding the case of every
        text (ILIKE, lower()) costs 2.5 s on PostgreSQL, where ILIKE also brings in the trigram
        index, which cannot narrow a needle this short and reads all of it. So:

        - a needle without case ("税", an emoji, Hebrew, digits): an exact substring test, instr
          over the UTF-8 bytes (SQLite) or strpos (PostgreSQL);
        - PostgreSQL, a needle with case: a regular expression of its spellings ("[Oo][Ff]");
        - SQLite, an ASCII needle: LIKE, which folds ASCII case; other cased needles ("é"): an
          exact test for each spelling ("é", "É"), as LIKE folds only ASCII."""
        spellings = case_variants(needle)
        uid = f"d.uid {'LIKE' if self._db.is_sqlite else 'ILIKE'} :pattern ESCAPE '\\'"
        columns = ("title", "text")
        if not self._db.is_sqlite:
            if len(spellings) == 1:
                params["v0"] = needle
                return [*(f"strpos(d.{c}, :v0) > 0" for c in columns), uid]
            params["regex"] = case_class_regex(needle)
            return [*(f"d.{c} ~ :regex" for c in columns), uid]
        if len(spellings) > 1 and needle.isascii():
            return [*(f"d.{c} LIKE :pattern ESCAPE '\\'" for c in columns), uid]
        tests = []
        for n, spelling in enumerate(spellings):
            params[f"v{n}"] = spelling
            tests += [f"instr(CAST(d.{c} AS BLOB), CAST(:v{n} AS BLOB)) > 0" for c in columns]
        return [*tests, uid]

    def _rare(self, needle: str, found: list[str], params: dict[str, Any]) -> list[int] | None:
        """The ids of the documents a short needle is in, when there are at most COMMON of them;
        None when there are more (then a page is found row by row in the list's order at once).

        One pass over the texts finds them; they are remembered until a document is added or
        deleted, so the count, each page and each refresh of the list read no text again. The
        clauses stay beside the ids, so a document whose id was used again is still checked."""
        with self._db.read_rows() as conn:
            stamp = tuple(
                conn.execute(
                    text(
                        "SELECT count(*), max(id), (SELECT sha256 FROM document "
                        "WHERE id = (SELECT max(id) FROM document)) FROM document"
                    )
                ).one()
            )
            known = self._rare_ids.get(needle)
            if known is not None and known[0] == stamp:
                return known[1]
            probe = f"SELECT d.id FROM document d WHERE {' OR '.join(found)} LIMIT :n"
            ids = [int(i) for (i,) in conn.execute(text(probe), {**params, "n": COMMON + 1})]
        if len(self._rare_ids) > 16:
            self._rare_ids.clear()
        rare = sorted(ids) if len(ids) <= COMMON else None
        self._rare_ids[needle] = (stamp, rare)
        return rare

    def _common(self, needle: str) -> bool:
        """Whether more than COMMON documents contain ``needle`` (SQLite; asked once per needle:
        the index streams its matches, so this stops at COMMON + 1)."""
        if needle not in self._commonness:
            with self._db.read_rows() as conn:
                n = conn.execute(
                    text(
                        "SELECT count(*) FROM (SELECT rowid FROM document_search WHERE text LIKE :c LIMIT :n)"
                    ),
                    {"c": f"%{needle}%", "n": COMMON + 1},
                ).scalar_one()
            if len(self._commonness) > 64:
                self._commonness.clear()
            self._commonness[needle] = n > COMMON
        return self._commonness[needle]

    @staticmethod
    def _queued(query: DocumentQuery) -> bool:
        return query.queue_first and query.sort == "position"

    def _key(self, query: DocumentQuery) -> str:
        """The sort expression; in import order with a queue, queued documents first in queue
        order (one expression, so row_of can count the rows before a document)."""
        if self._queued(query):
            return f"coalesce(q.position, {QUEUE_LAST})"
        return self.sort_keys.get(query.sort, "d.position")

    def _order(self, query: DocumentQuery) -> str:
        key = self._key(query)
        direction = "DESC" if query.descending else "ASC"
        return f"ORDER BY {key} {direction}, d.position {direction}, d.id {direction}"

    def _needs_counts(self, query: DocumentQuery) -> bool:
        return query.sort == "spans"

    # ----- reads -------------------------------------------------------------------------

    def count(self, query: DocumentQuery) -> int:
        where, params = self._where(query)
        with self._db.read_rows() as conn:
            return int(
                conn.execute(
                    text(f"SELECT count(*) {self._from(query, counts=False)}{where}"), params
                ).scalar_one()
            )

    def count_upto(self, query: DocumentQuery, cap: int) -> tuple[int, bool]:
        """(rows, exact): the count when it is at most ``cap``, else (cap, False). A search for a
        word most documents contain is not counted through 100,000 texts before the list shows;
        the list grows as it is scrolled (DocumentPageModel.fetchMore)."""
        if not query.needle.strip():
            return self.count(query), True
        where, params = self._where(query)
        sql = f"SELECT count(*) FROM (SELECT 1 {self._from(query, counts=False)}{where} LIMIT :cap) AS found"
        with self._db.read_rows() as conn:
            n = int(conn.execute(text(sql), {**params, "cap": cap + 1}).scalar_one())
        return (n, True) if n <= cap else (cap, False)

    def page(self, query: DocumentQuery, offset: int, limit: int) -> DocumentPage:
        """Rows [offset, offset + limit) of the list, with hit counts when searching text."""
        where, params = self._where(query)
        sql = (
            f"SELECT d.id, d.uid, d.title, d.length, {_STATUS}, {self._count_column()} "
            f"{self._from(query, counts=True)}{where} {self._order(query)} LIMIT :limit OFFSET :offset"
        )
        with self._db.read_rows() as conn:
            rows = [
                DocumentSummary(i, uid, title, length or 0, state, int(n or 0))
                for i, uid, title, length, state, n in conn.execute(
                    text(sql), {**params, "limit": limit, "offset": offset}
                )
            ]
            hits = self._hits(conn, query.needle.strip(), [r.id for r in rows])
        return DocumentPage(rows, hits)

    def _hits(self, conn: Connection, needle: str, ids: list[int]) -> dict[int, int]:
        if not needle or not ids:
            return {}
        found = conn.execute(
            text("SELECT id, text FROM document WHERE id IN (" + ", ".join(str(int(i)) for i in ids) + ")")
        )
        return {doc_id: count_matches(body, needle) for doc_id, body in found}

    def row_of(self, query: DocumentQuery, document_id: int) -> int | None:
        """The row a document has in the list, or None when the filter hides it: the number of
        rows that sort before it (an index range on the list's usual orders, not a ranking)."""
        where, params = self._where(query)
        key = self._key(query)
        source = self._from(query, counts=self._needs_counts(query))
        also = " AND " if where else " WHERE "
        with self._db.read_rows() as conn:
            found = conn.execute(
                text(f"SELECT {key}, d.position, d.id {source}{where}{also}d.id = :doc"),
                {**params, "doc": document_id},
            ).first()
            if found is None:
                return None
            before = "<" if not query.descending else ">"
            earlier = (
                f"({key} {before} :k OR ({key} = :k AND (d.position {before} :p "
                f"OR (d.position = :p AND d.id {before} :i))))"
            )
            k, p, i = found
            return int(
                conn.execute(
                    text(f"SELECT count(*) {source}{where}{also}{earlier}"),
                    {**params, "k": k, "p": p, "i": i},
                ).scalar_one()
            )

    def _ranked(self, query: DocumentQuery, where: str, outer: str) -> str:
        """``outer`` over ``ranked(id, status, r)``: the filtered list numbered from 1 in its order."""
        return (
            f"WITH ranked AS (SELECT d.id AS id, {_STATUS} AS status, row_number() OVER ({self._order(query)}) AS r "
            f"{self._from(query, counts=self._needs_counts(query))}{where}) {outer}"
        )

    def next_unfinished(self, query: DocumentQuery, current: int | None) -> int | None:
        """The first document after ``current`` in the list's order (wrapping) that is not done;
        the needle and status filter are ignored, so no filter hides the work that is left."""
        whole = query.with_(needle="", status="")
        where, params = self._where(whole)
        sql = self._ranked(
            whole,
            where,
            "SELECT id FROM ranked WHERE status <> 'done' AND id <> :doc ORDER BY "
            "CASE WHEN r > coalesce((SELECT r FROM ranked WHERE id = :doc), 0) THEN 0 ELSE 1 END, r LIMIT 1",
        )
        with self._db.read_rows() as conn:
            found = conn.execute(text(sql), {**params, "doc": -1 if current is None else current}).scalar()
        return None if found is None else int(found)

    def progress(self, annotator_id: int) -> tuple[int, int]:
        """(documents this annotator has done, all documents): two counts, whatever the filter."""
        with self._db.read_rows() as conn:
            total = conn.execute(text("SELECT count(*) FROM document")).scalar_one()
            done = conn.execute(
                text("SELECT count(*) FROM document_status WHERE annotator_id = :me AND status = 'done'"),
                {"me": annotator_id},
            ).scalar_one()
        return int(done), int(total)

    def next_in_queue(self, annotator_id: int, current: int | None) -> tuple[int, int, int] | None:
        """(document, its place in the queue from 1, queue length): the next document of this
        annotator's queue after ``current`` (wrapping) that is not done; None when none is left."""
        queue = (
            "SELECT q.document_id AS id, coalesce(s.status, 'todo') AS status, "
            "row_number() OVER (ORDER BY q.position, q.document_id) AS r FROM assignment q "
            "LEFT JOIN document_status s ON s.document_id = q.document_id AND s.annotator_id = :me "
            "WHERE q.annotator_id = :me"
        )
        sql = (
            f"WITH queued AS ({queue}) SELECT id, r, (SELECT count(*) FROM queued) FROM queued "
            "WHERE status <> 'done' AND id <> :doc ORDER BY "
            "CASE WHEN r > coalesce((SELECT r FROM queued WHERE id = :doc), 0) THEN 0 ELSE 1 END, r LIMIT 1"
        )
        with self._db.read_rows() as conn:
            found = conn.execute(
                text(sql), {"me": annotator_id, "doc": -1 if current is None else current}
            ).first()
        return None if found is None else (int(found[0]), int(found[1]), int(found[2]))
