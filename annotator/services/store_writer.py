"""Writing parsed records into the store in one transaction.

Records arrive as a stream and are stored a batch at a time. This thread parses a batch, checks its
labels, resolves its documents (in Python, see document_resolver.py) and builds its span rows; a
second thread meanwhile inserts the previous batch's documents and spans, one statement each that
the database runs outside the GIL (store/bulk.py). The connection is used by one thread at a time:
this one waits for the running insert before it touches the connection itself. ORM objects per row
measured 14k rows/s here, Core 176k/s (DESIGN.md section 3); the driver-level statements are faster
again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, func, insert, select, text, update

from annotator.domain.errors import AnnotatorError
from annotator.domain.labels import PALETTE, LabelError, clean_name
from annotator.domain.names import GOLD_NAME
from annotator.domain.records import STATUSES, FormatError
from annotator.services.document_data_writer import DocumentDataWriter
from annotator.services.document_resolver import DocumentResolver, NewDocument
from annotator.store import bulk, deferred_index, search_index, span_tally, team_api
from annotator.store.core_tables import annotator_t, document_t, label_t, span_t, status_t
from annotator.store.deferred_trigger import set_aside_trigger

if TYPE_CHECKING:
    from annotator.services.importing import FileReport, ParsedRecord

CHUNK = 500  # values per IN (...) query
BATCH = 100  # records per batch: ~30,000 spans, one span statement each, few thread hand-overs
FIRST_BATCH = 20  # a small first batch starts the inserting thread sooner
ID_BLOCK = 1000  # document ids reserved at a time from PostgreSQL's sequence
STATUS_CHUNK = 5000  # statuses merged at a time (stored ones read CHUNK documents per query)
STATUS_KEY_BITS = 32  # annotator ids fit below this in a status key
UNIQUE_KEY = itemgetter(0, 1, 2, 3, 4)  # of a span row: uq_span's columns
TALLY_KEY = itemgetter(1, 2)  # of a span row: (annotator id, label id)


def utcnow() -> datetime:
    return datetime.now(UTC)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def chunks(items: list[Any], size: int = CHUNK) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def batches(records: Iterable[ParsedRecord]) -> Iterator[list[ParsedRecord]]:
    iterator = iter(records)
    size = FIRST_BATCH
    while batch := list(islice(iterator, size)):
        yield batch
        size = BATCH


class RecordWriter:
    def __init__(
        self, conn: Connection, path: str, *, create_labels: bool = False, team_member: bool = False
    ) -> None:
        self.conn = conn
        self.path = path
        self._create_labels = create_labels
        self.labels_added: list[str] = []
        self.postgres = conn.dialect.name == "postgresql"
        # PostgreSQL, not the owner: every row through migration 0005's functions (team_api).
        self.team_member = team_member
        self._labels: dict[str, int] = {}
        self._annotators: dict[str, int] = {}
        self._seen_span_keys: set[tuple[int, int, int, int, int]] = set()  # PostgreSQL only
        # (document id << STATUS_KEY_BITS | annotator id) -> status: an int key, not a tuple,
        # because a 100,000-document import wants 300,000 of them.
        self._wanted_status: dict[int, str] = {}
        self._lock_parents = False  # see _skip_reference_triggers
        self._copy = True  # PostgreSQL: COPY, unless row-level security applies to this role
        self._running: Future[int] | None = None
        self._spans_added = 0
        # SQLite: spans added per (annotator id, label id), while every span offered was added
        # (then the tally needs no count in SQL, store/span_tally.py); None once one was not.
        self._tally: Counter[tuple[int, int]] | None = Counter()
        self._document_data = DocumentDataWriter(path, create_labels=create_labels, team_member=team_member)
        self._free_ids: list[int] = []
        self._next_id = 0  # SQLite: the writer holds the write lock, so ids are simply counted
        self._stored_documents = 0  # before this import

    def _skip_reference_triggers(self) -> bool:
        """PostgreSQL checks a span's three foreign keys with a trigger per row, 3.2 s of the 4.3 s
        the server spent on 300,000 spans. A role that may set session_replication_role (a
        superuser, or one granted SET ON PARAMETER, PostgreSQL 15+; docs/team-setup.md) turns the
        triggers off for this transaction, and this writer does their job once per query instead:
        every id it writes was read here (or inserted here), and every stored parent row it
        refers to is locked FOR KEY SHARE, the lock the triggers take, so none can be deleted
        before the import commits. Any other role keeps the triggers."""
        version = self.conn.dialect.server_version_info or (0,)
        allowed = (
            "SELECT has_parameter_privilege('session_replication_role', 'SET')"
            if version >= (15,)
            else "SELECT current_setting('is_superuser') = 'on'"
        )
        if not self.conn.execute(text(allowed)).scalar():
            return False
        self.conn.execute(text("SET LOCAL session_replication_role = replica"))
        return True

    def _locked(self, query: Select[Any]) -> Select[Any]:
        return query.with_for_update(read=True, key_share=True) if self._lock_parents else query

    def write(
        self,
        records: Iterable[ParsedRecord],
        total: int,
        report: FileReport,
        progress: Callable[[int, int], None] | None,
        *,
        expected: int = 0,
    ) -> None:
        """Store every record; raises (leaving the caller to roll back) on the first bad one.
        `total` is only for progress: the records are counted as they arrive. `expected`: about
        how many documents the records are (0: unknown); an import as large as the table sets its
        indexes aside (store/deferred_index.py)."""
        if self.postgres:
            # Imports take turns (SQLite's BEGIN IMMEDIATE already serialises writers); released
            # when the transaction ends, and never waited for without end.
            bulk.take_import_lock(self.conn, team_member=self.team_member)
            if self.team_member:
                self._copy = False
            else:
                self._lock_parents = self._skip_reference_triggers()
                self._copy = not bulk.row_security_applies(self.conn)
        self._labels = dict(self.conn.execute(self._locked(select(label_t.c.name, label_t.c.id))).all())
        self._annotators = dict(
            self.conn.execute(self._locked(select(annotator_t.c.name, annotator_t.c.id))).all()
        )
        finish_search_index = search_index.defer_indexing(self.conn)
        finish_tally = span_tally.defer_tally(self.conn)
        documents = self._document_resolver()
        restore_indexes = (
            deferred_index.set_aside_indexes(self.conn)
            if deferred_index.worth_setting_aside(expected, self._stored_documents)
            else lambda: None
        )
        stamp = utcnow()
        done, spans_in_file = 0, 0
        # Leaving the block waits for the running insert, also when a bad record raises: the caller
        # must not roll back the connection under it.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-insert") as inserter:
            for batch in batches(records):  # parsing the batch overlaps inserting the previous one
                self._check_labels(batch)
                if self.postgres:
                    self._refuse_nul_notes(batch)
                if self._unknown_annotators(batch):
                    self._wait_for_connection()
                    self._add_annotators(batch)
                doc_ids, new_documents = documents.resolve(batch, [sha256_of(p.record.text) for p in batch])
                rows = self._span_rows(batch, doc_ids)
                spans_in_file += len(rows)
                self._collect_statuses(batch, doc_ids)
                self._document_data.collect(batch, doc_ids, self._annotators)
                merged = sorted({d for d in doc_ids if d in documents.merged_ids})
                self._wait_for_connection()
                if self._lock_parents and merged:
                    self._lock_documents(merged)
                self._running = inserter.submit(self._insert_batch, new_documents, merged, rows, stamp)
                done += len(batch)
                if progress is not None:
                    progress(min(done, total), total)
            self._wait_for_connection()
        if progress is not None:
            progress(total, total)
        report.spans_added = self._spans_added
        report.spans_present = spans_in_file - self._spans_added
        report.documents_added = len(documents.added_by_uid)
        report.documents_merged = len(documents.merged_ids)
        report.labels_added = list(self.labels_added)
        self._merge_statuses(documents.merged_ids)
        report.labels_added.extend(self._document_data.write(self.conn))
        restore_indexes()
        finish_search_index()
        finish_tally(self._tally, bulk.sqlite_stamp(self.conn, stamp) if not self.postgres else "")
        if self._lock_parents:  # the triggers that notify review windows were off (migration 0005)
            self.conn.execute(text("SELECT annotator_notify_listeners('import')"))

    def _wait_for_connection(self) -> None:
        """Wait for the running insert (re-raising its error): the connection is free after."""
        if self._running is not None:
            running, self._running = self._running, None
            self._spans_added += running.result()

    # --- documents ----------------------------------------------------------------------------------

    def _document_resolver(self) -> DocumentResolver:
        """Every stored document's uid, id and hash, read once (about 100 bytes a document)."""
        d = document_t.c
        stored = self.conn.execute(select(d.uid, d.id, d.sha256).order_by(d.id)).all()
        self._stored_documents = len(stored)
        last_position = self.conn.execute(select(func.coalesce(func.max(d.position), -1))).scalar_one()
        self._next_id = self.conn.execute(select(func.coalesce(func.max(d.id), 0))).scalar_one() + 1
        return DocumentResolver(
            self.path,
            stored,  # type: ignore[arg-type]
            last_position,
            self._new_document_id,
            refuse_nul=self.postgres,
        )

    def _lock_documents(self, ids: list[int]) -> None:
        """Stored documents this batch adds to, locked as the foreign-key triggers would have."""
        if bulk.lock_documents(self.conn, ids) < len(ids):
            raise AnnotatorError(
                f"{self.path}: a document this file adds to was deleted while importing; nothing was imported"
            )

    def _new_document_id(self) -> int:
        if not self.postgres:
            self._next_id += 1
            return self._next_id - 1
        if not self._free_ids:
            self._wait_for_connection()
            reserve = team_api.reserve_document_ids if self.team_member else bulk.reserve_document_ids
            self._free_ids = reserve(self.conn, ID_BLOCK)[::-1]
        return self._free_ids.pop()

    # --- spans --------------------------------------------------------------------------------------

    def _span_rows(self, batch: list[ParsedRecord], doc_ids: list[int]) -> list[tuple[Any, ...]]:
        """(document, annotator, label, start, end, note) per span, in unique-key order so the index
        grows at its end (stable: of two equal spans the first stays first)."""
        labels, annotators = self._labels, self._annotators
        rows = [
            (doc_id, annotators[annotator], labels[label], start, end, note)
            for parsed, doc_id in zip(batch, doc_ids, strict=True)
            for start, end, label, annotator, note in parsed.record.spans
        ]
        rows.sort(key=UNIQUE_KEY)
        return rows

    def _insert_batch(
        self,
        new_documents: list[NewDocument],
        merged: list[int],
        rows: list[tuple[Any, ...]],
        when: datetime,
    ) -> int:
        """On the inserting thread: the batch's new documents, then its spans. Returns how many
        spans were added."""
        if not self.postgres:
            stamp = bulk.sqlite_stamp(self.conn, when)
            if new_documents:
                bulk.insert_documents_sqlite(self.conn, new_documents, stamp)
            if not rows:
                return 0
            added = bulk.insert_spans_sqlite(self.conn, rows, stamp)
            if added < len(rows):
                self._tally = None
            elif self._tally is not None:
                self._tally.update(map(TALLY_KEY, rows))
            return added
        if self.team_member:
            if new_documents:
                team_api.import_documents(self.conn, new_documents)
            new_rows = self._new_span_rows(rows, merged)
            return team_api.import_spans(self.conn, new_rows) if new_rows else 0
        if new_documents:
            (bulk.copy_documents if self._copy else bulk.insert_documents)(self.conn, new_documents, when)
        new_rows = self._new_span_rows(rows, merged)
        if new_rows:
            (bulk.copy_spans if self._copy else bulk.insert_spans)(self.conn, new_rows, when)
        return len(new_rows)

    def _new_span_rows(self, rows: list[tuple[Any, ...]], merged: list[int]) -> list[tuple[Any, ...]]:
        """PostgreSQL's COPY cannot skip duplicates: the rows less spans already stored or earlier
        in the file."""
        stored = self._stored_span_keys(merged) if merged else set()
        seen = self._seen_span_keys
        new_rows: list[tuple[Any, ...]] = []
        for row in rows:
            key = row[:5]
            if key in stored or key in seen:
                continue
            seen.add(key)
            new_rows.append(row)
        return new_rows

    def _stored_span_keys(self, doc_ids: list[int]) -> set[tuple[int, int, int, int, int]]:
        keys: set[tuple[int, int, int, int, int]] = set()
        c = span_t.c
        for part in chunks(doc_ids):
            query = select(c.document_id, c.annotator_id, c.label_id, c.start, c.end).where(
                c.document_id.in_(part)
            )
            keys.update(tuple(row) for row in self.conn.execute(query))
        return keys

    # --- names --------------------------------------------------------------------------------------

    def _check_labels(self, batch: list[ParsedRecord]) -> None:
        labels = self._labels
        if {s.label for p in batch for s in p.record.spans} <= labels.keys():
            return
        if self._create_labels:
            self._add_labels(batch)
            return
        for parsed in batch:
            for i, span in enumerate(parsed.record.spans):
                if span.label not in labels:
                    known = ", ".join(sorted(labels))
                    raise FormatError(
                        self.path,
                        parsed.line,
                        f"unknown label '{span.label}' (this database has: {known}); add it in the label editor or "
                        f"with `annotator labels add`, or import with --create-labels",
                        f"spans[{i}].label",
                    )

    def _add_labels(self, batch: list[ParsedRecord]) -> None:
        """--create-labels: the batch's unknown labels, added with the palette's next colours."""
        known = {name.casefold(): name for name in self._labels}
        missing: dict[str, tuple[int | None, int]] = {}
        for parsed in batch:
            for i, span in enumerate(parsed.record.spans):
                if span.label in self._labels or span.label in missing:
                    continue
                where = f"spans[{i}].label"
                try:
                    clean = clean_name(span.label)
                except LabelError as exc:
                    raise FormatError(self.path, parsed.line, str(exc), where) from None
                if clean != span.label:
                    raise FormatError(
                        self.path,
                        parsed.line,
                        f"'{span.label}' is not a usable label name (try '{clean}')",
                        where,
                    )
                if span.label.casefold() in known:
                    raise FormatError(
                        self.path,
                        parsed.line,
                        f"'{span.label}' differs from the label '{known[span.label.casefold()]}' only in case",
                        where,
                    )
                known[span.label.casefold()] = span.label
                missing[span.label] = (parsed.line, i)
        self._wait_for_connection()
        c = label_t.c
        position = self.conn.execute(select(func.coalesce(func.max(c.position), -1))).scalar_one()
        count = len(self._labels)
        rows = [
            {
                "name": name,
                "color": PALETTE[(count + n) % len(PALETTE)],
                "hotkey": None,
                "description": "",
                "position": position + 1 + n,
                "archived": False,
            }
            for n, name in enumerate(missing)
        ]
        self.conn.execute(insert(label_t), rows)
        self._labels = dict(self.conn.execute(select(c.name, c.id)).all())
        self.labels_added.extend(missing)

    def _refuse_nul_notes(self, batch: list[ParsedRecord]) -> None:
        for parsed in batch:
            for i, span in enumerate(parsed.record.spans):
                if span.note is not None and "\x00" in span.note:
                    raise FormatError(
                        self.path,
                        parsed.line,
                        "contains a NUL character, which PostgreSQL cannot store",
                        f"spans[{i}].note",
                    )

    def _unknown_annotators(self, batch: list[ParsedRecord]) -> list[str]:
        names = (
            {s.annotator for p in batch for s in p.record.spans}
            | {n for p in batch for n in p.record.status}
            | DocumentDataWriter.names(batch)
        )
        return sorted(names - self._annotators.keys())

    def _add_annotators(self, batch: list[ParsedRecord]) -> None:
        missing = self._unknown_annotators(batch)
        if self.team_member:  # only oneself, or (a supervisor) the gold layer; else refused
            for name in missing:
                (team_api.gold(self.conn) if name == GOLD_NAME else team_api.sign_up(self.conn, name))
            self._annotators = dict(self.conn.execute(select(annotator_t.c.name, annotator_t.c.id)).all())
            return
        self.conn.execute(
            insert(annotator_t),
            [{"name": n, "role": "gold" if n == GOLD_NAME else "annotator"} for n in missing],
        )
        self._annotators = dict(self.conn.execute(select(annotator_t.c.name, annotator_t.c.id)).all())

    # --- statuses -----------------------------------------------------------------------------------

    def _collect_statuses(self, batch: list[ParsedRecord], doc_ids: list[int]) -> None:
        wanted, annotators = self._wanted_status, self._annotators
        for parsed, doc_id in zip(batch, doc_ids, strict=True):
            for name, status in parsed.record.status.items():
                key = doc_id << STATUS_KEY_BITS | annotators[name]
                if key not in wanted or STATUSES.index(status) > STATUSES.index(wanted[key]):  # type: ignore[arg-type]
                    wanted[key] = status

    def _merge_statuses(self, stored_documents: set[int]) -> None:
        """A status only moves forward (todo < in_progress < done). Every status the file
        advances is written, or the import is refused: none is skipped silently. Written a chunk
        at a time, in the file's order, so memory holds one chunk of rows. Only stored_documents
        (those the file adds to) can have stored statuses."""
        wanted = self._wanted_status
        if not wanted:
            return
        mask = (1 << STATUS_KEY_BITS) - 1
        if self.team_member:  # the function raises for a row that is not the caller's
            for key, status in wanted.items():
                team_api.set_status(self.conn, key >> STATUS_KEY_BITS, key & mask, status, forward_only=True)
            return
        items = iter(wanted.items())
        now = utcnow()
        # Written here, not by the row trigger: SQLite's is set aside, PostgreSQL's is off when the
        # reference triggers are (session_replication_role, see _skip_reference_triggers).
        guidelines = self.conn.execute(text("SELECT max(id) FROM guideline_version")).scalar()
        restore_trigger = set_aside_trigger(self.conn, bulk.GUIDELINES_TRIGGER) if not self.postgres else None
        while part := list(islice(items, STATUS_CHUNK)):
            rows = [(k >> STATUS_KEY_BITS, k & mask, status) for k, status in part]
            self._merge_status_chunk(rows, stored_documents, now, guidelines)
        if restore_trigger is not None:
            restore_trigger()

    def _merge_status_chunk(
        self,
        part: list[tuple[int, int, str]],
        stored_documents: set[int],
        now: datetime,
        guidelines: int | None,
    ) -> None:
        c = status_t.c
        stored: dict[tuple[int, int], str] = {}
        for ids in chunks(sorted({d for d, _, _ in part if d in stored_documents})):
            query = select(c.document_id, c.annotator_id, c.status).where(c.document_id.in_(ids))
            stored.update(((d, a), status) for d, a, status in self.conn.execute(query))
        new_rows: list[tuple[int, int, str]] = []
        for doc_id, ann_id, status in part:
            old = stored.get((doc_id, ann_id))
            if old is None:
                new_rows.append((doc_id, ann_id, status))
            elif STATUSES.index(status) > STATUSES.index(old):  # type: ignore[arg-type]
                written = self.conn.execute(
                    update(status_t)
                    .where(c.document_id == doc_id, c.annotator_id == ann_id)
                    .values(
                        status=status,
                        updated_at=now,
                        guidelines_version=guidelines if status == "done" else None,
                    )
                ).rowcount
                if written != 1:
                    raise AnnotatorError(
                        f"{self.path}: the status of document {doc_id} could not be written (the "
                        "database let this role change no such row); nothing was imported"
                    )
        if not new_rows:
            return
        if self.postgres:
            self.conn.execute(
                insert(status_t),
                [
                    {
                        "document_id": d,
                        "annotator_id": a,
                        "status": s,
                        "updated_at": now,
                        "guidelines_version": guidelines if s == "done" else None,
                    }
                    for d, a, s in new_rows
                ],
            )
        else:  # one statement (SQLAlchemy's per-row parameters cost 20 us a row)
            bulk.insert_statuses_sqlite(self.conn, new_rows, bulk.sqlite_stamp(self.conn, now), guidelines)
