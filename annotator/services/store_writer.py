"""Writing parsed records into the store in one transaction, with SQLAlchemy Core for speed.

ORM objects per row measured 14k rows/s here, Core 176k/s (DESIGN.md section 3). Records arrive as a
stream and are stored a batch at a time; the spans of one batch are inserted by a second thread
while this one parses the next batch. The span insert is one statement per batch that runs in the
database's C code (SQLite) or in the server (PostgreSQL COPY), outside the GIL, so reading and
writing overlap on two cores. The connection is only ever used by one thread at a time: before
touching it, the caller waits for the previous batch's insert.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, Select, func, insert, select, text, update
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME

from annotator.domain.records import STATUSES, FormatError
from annotator.store.notifications import CHANNEL
from annotator.store.tables import Annotator, Document, DocumentStatus, Label, Span, utcnow

if TYPE_CHECKING:
    from annotator.services.importing import FileReport, ParsedRecord

CHUNK = 500  # values per IN (...) query
BATCH = 100  # records per batch: ~30,000 spans, one span statement each, few thread hand-overs
IMPORT_LOCK = 0x616E6E6F  # an arbitrary advisory-lock key for "imports into this database"
GOLD_NAME = "gold"
document_t = Document.__table__
label_t = Label.__table__
annotator_t = Annotator.__table__
span_t = Span.__table__
status_t = DocumentStatus.__table__
UNIQUE_KEY = itemgetter(0, 1, 2, 3, 4)  # of a span row: uq_span's columns
SPAN_COLUMNS = 'document_id, annotator_id, label_id, start, "end", note, created_at, updated_at'
# ?2 is a batch's span rows as a JSON array, [[position, annotator_id, label_id, start, end, note], ...],
# and ?3 the batch's document ids by position: binding 300,000 x 8 values one by one from Python
# took longer than SQLite parsing them in C. CROSS JOIN keeps the rows outermost (the planner
# otherwise re-read the whole array once per document). Spans already stored are skipped by the
# unique key; of two equal spans in a file the first is kept.
SQLITE_INSERT_SPANS = f"""
WITH doc(position, id) AS MATERIALIZED (SELECT key, value FROM json_each(?3))
INSERT INTO span ({SPAN_COLUMNS})
SELECT doc.id, json_extract(r.value, '$[1]'), json_extract(r.value, '$[2]'),
       json_extract(r.value, '$[3]'), json_extract(r.value, '$[4]'), json_extract(r.value, '$[5]'), ?1, ?1
FROM json_each(?2) AS r CROSS JOIN doc ON doc.position = json_extract(r.value, '$[0]')
WHERE true
ON CONFLICT DO NOTHING
"""


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def copy_text(value: str | None) -> str:
    """A value in PostgreSQL COPY text format: \\N for NULL, with backslash escapes."""
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def chunks(items: list[Any], size: int = CHUNK) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def batches(records: Iterable[ParsedRecord], size: int = BATCH) -> Iterator[list[ParsedRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


class RecordWriter:
    def __init__(self, conn: Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self.postgres = conn.dialect.name == "postgresql"
        self._labels: dict[str, int] = {}
        self._annotators: dict[str, int] = {}
        # Documents this file added so far: a later record with the same id (or, without an id,
        # the same text) is the same new document, not a merge into a stored one.
        self._added_by_uid: dict[str, tuple[int, str]] = {}
        self._added_by_sha: dict[str, int] = {}
        self._merged_ids: set[int] = set()
        self._position = 0
        self._seen_span_keys: set[tuple[int, int, int, int, int]] = set()  # PostgreSQL only
        self._wanted_status: dict[tuple[int, int], str] = {}
        self._lock_parents = False  # see _skip_reference_triggers

    def _skip_reference_triggers(self) -> bool:
        """PostgreSQL checks a span's three foreign keys with a trigger per row, 3.2 s of the 4.3 s
        the server spent on 300,000 spans. A role that may set session_replication_role (a
        superuser, or one granted SET ON PARAMETER, PostgreSQL 15+; docs/team-setup.md) turns the
        triggers off for this transaction, and this writer does their job once per query instead:
        every id it writes was read here (or inserted here), and every stored parent row it reads
        is locked FOR KEY SHARE, the lock the triggers take, so none can be deleted before the
        import commits. Any other role keeps the triggers."""
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
    ) -> None:
        """Store every record; raises (leaving the caller to roll back) on the first bad one.
        `total` is only for progress: the records are counted as they arrive."""
        if self.postgres:
            # Imports take turns: two files with the same new document would otherwise both
            # insert it and one would fail on the unique id. (SQLite's BEGIN IMMEDIATE already
            # serialises writers.) Released when the transaction ends.
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
            self._lock_parents = self._skip_reference_triggers()
        self._labels = dict(self.conn.execute(self._locked(select(label_t.c.name, label_t.c.id))).all())
        self._annotators = dict(
            self.conn.execute(self._locked(select(annotator_t.c.name, annotator_t.c.id))).all()
        )
        self._position = self.conn.execute(
            select(func.coalesce(func.max(document_t.c.position), -1))
        ).scalar_one()
        stamp = utcnow()
        done, spans_in_file = 0, 0
        running: Future[int] | None = None
        # Leaving the block waits for the running batch, also when a bad record raises: the caller
        # must not roll back the connection under it.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="span-insert") as inserter:
            for batch in batches(records):  # parsing the batch overlaps inserting the previous one's spans
                self._check_labels(batch)
                if self._unknown_annotators(batch):
                    if running is not None:  # the connection is needed here: wait for it
                        report.spans_added += running.result()
                        running = None
                    self._add_annotators(batch)
                rows = self._span_rows(batch)
                spans_in_file += len(rows)
                if running is not None:
                    report.spans_added += running.result()
                # Resolving documents needs the connection, so it waits for the running insert; it
                # is small (a query or two per batch). Run on the other thread it measured 7 times
                # slower, its many short database calls each waiting for the parser to yield the GIL.
                doc_ids = self._document_ids(batch)
                self._collect_statuses(batch, doc_ids)
                running = inserter.submit(self._insert_spans, rows, doc_ids, stamp)
                done += len(batch)
                if progress is not None:
                    progress(min(done, total), total)
            if running is not None:
                report.spans_added += running.result()
        if progress is not None:
            progress(total, total)
        report.spans_present = spans_in_file - report.spans_added
        report.documents_added = len(self._added_by_uid)
        report.documents_merged = len(self._merged_ids)
        self._merge_statuses()
        if self._lock_parents:  # the triggers that notify review windows were off (migration 0004)
            self.conn.execute(text("SELECT pg_notify(:channel, 'import')"), {"channel": CHANNEL})

    # --- spans ------------------------------------------------------------------------------------

    def _span_rows(self, batch: list[ParsedRecord]) -> list[tuple[Any, ...]]:
        """(position in the batch, annotator, label, start, end, note) per span, in unique-key order
        so the index grows at its end (stable: of two equal spans the first stays first). The
        document ids are resolved once the connection is free."""
        labels, annotators = self._labels, self._annotators
        rows = [
            (position, annotators[annotator], labels[label], start, end, note)
            for position, parsed in enumerate(batch)
            for start, end, label, annotator, note in parsed.record.spans
        ]
        rows.sort(key=UNIQUE_KEY)
        return rows

    def _insert_spans(self, rows: list[tuple[Any, ...]], doc_ids: list[int], stamp: Any) -> int:
        """On the inserting thread: one statement that runs outside the GIL. Returns how many spans
        were added."""
        if not rows:
            return 0
        driver = self.conn.connection.driver_connection
        if self.postgres:
            new_rows = self._new_span_rows(rows, doc_ids)
            if new_rows:
                with driver.cursor() as cursor, cursor.copy(f"COPY span ({SPAN_COLUMNS}) FROM STDIN") as copy:  # type: ignore[union-attr]
                    # In pieces: the server stores one while the next is formatted.
                    for part in chunks(new_rows, 5000):
                        copy.write(self._copy_payload(part, stamp))
            return len(new_rows)
        # The exact string SQLAlchemy stores for a DateTime in SQLite (naive UTC).
        stored_stamp = SQLITE_DATETIME().bind_processor(self.conn.dialect)(stamp.replace(tzinfo=None))
        before = driver.total_changes  # type: ignore[union-attr]
        # (cursor.rowcount stays -1 for a statement that starts with WITH.)
        driver.execute(SQLITE_INSERT_SPANS, (stored_stamp, orjson.dumps(rows), orjson.dumps(doc_ids))).close()  # type: ignore[union-attr]
        return int(driver.total_changes - before)  # type: ignore[union-attr]

    def _new_span_rows(self, rows: list[tuple[Any, ...]], doc_ids: list[int]) -> list[tuple[Any, ...]]:
        """PostgreSQL's COPY cannot skip duplicates: rows with their document ids, leaving out spans
        already stored or earlier in the file."""
        merged = sorted({d for d in doc_ids if d in self._merged_ids})
        stored = self._stored_span_keys(merged) if merged else set()
        seen = self._seen_span_keys
        new_rows: list[tuple[Any, ...]] = []
        for position, annotator_id, label_id, start, end, note in rows:
            key = (doc_ids[position], annotator_id, label_id, start, end)
            if key in stored or key in seen:
                continue
            seen.add(key)
            new_rows.append((*key, note))
        return new_rows

    @staticmethod
    def _copy_payload(rows: list[tuple[Any, ...]], stamp: Any) -> str:
        # COPY's text format written directly: a third of the time of psycopg's write_row.
        tail = f"\t{stamp.isoformat()}\t{stamp.isoformat()}\n"
        return "".join(
            f"{d}\t{a}\t{lab}\t{s}\t{e}\t{copy_text(note)}{tail}" for d, a, lab, s, e, note in rows
        )

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
        for parsed in batch:
            for i, span in enumerate(parsed.record.spans):
                if span.label not in labels:
                    known = ", ".join(sorted(labels))
                    raise FormatError(
                        self.path,
                        parsed.line,
                        f"unknown label '{span.label}' (this database has: {known}); add it in the label editor first",
                        f"spans[{i}].label",
                    )

    def _unknown_annotators(self, batch: list[ParsedRecord]) -> list[str]:
        names = {s.annotator for p in batch for s in p.record.spans} | {
            n for p in batch for n in p.record.status
        }
        return sorted(names - self._annotators.keys())

    def _add_annotators(self, batch: list[ParsedRecord]) -> None:
        missing = self._unknown_annotators(batch)
        self.conn.execute(
            insert(annotator_t),
            [{"name": n, "role": "gold" if n == GOLD_NAME else "annotator"} for n in missing],
        )
        self._annotators = dict(self.conn.execute(select(annotator_t.c.name, annotator_t.c.id)).all())

    # --- documents ----------------------------------------------------------------------------------

    def _document_ids(self, batch: list[ParsedRecord]) -> list[int]:
        """The stored id of each record's document, inserting the new ones."""
        shas = [sha256_of(p.record.text) for p in batch]
        by_uid = self._fetch("uid", [p.record.uid for p in batch if p.record.uid is not None])
        by_sha = self._fetch("sha256", [s for p, s in zip(batch, shas, strict=True) if p.record.uid is None])
        resolved: list[int | str] = []  # a stored id, or the uid of a document inserted below
        pending: dict[str, dict[str, Any]] = {}
        pending_without_uid: dict[str, str] = {}  # sha256 -> generated uid
        for parsed, sha in zip(batch, shas, strict=True):
            record = parsed.record
            uid = record.uid
            if uid is not None and uid in self._added_by_uid:
                if self._added_by_uid[uid][1] != sha:
                    raise FormatError(
                        self.path, parsed.line, f"document '{uid}' appears twice with different texts", "id"
                    )
                resolved.append(self._added_by_uid[uid][0])
                continue
            if uid is None and sha in self._added_by_sha:
                resolved.append(self._added_by_sha[sha])
                continue
            if uid is not None and uid in by_uid:
                stored_id, stored_sha = by_uid[uid]
                if stored_sha != sha:
                    raise FormatError(
                        self.path,
                        parsed.line,
                        f"document '{uid}' is already stored with a different text; its offsets "
                        "would point into another text, so nothing of this file was imported",
                        "text",
                    )
                self._merged_ids.add(stored_id)
                resolved.append(stored_id)
                continue
            if uid is None and sha in by_sha:
                self._merged_ids.add(by_sha[sha][0])
                resolved.append(by_sha[sha][0])
                continue
            if uid is None and sha in pending_without_uid:
                resolved.append(pending_without_uid[sha])
                continue
            if "\x00" in record.text and self.postgres:
                raise FormatError(
                    self.path, parsed.line, "contains a NUL character, which PostgreSQL cannot store", "text"
                )
            if uid is None:
                taken = set(by_uid) | self._added_by_uid.keys() | pending.keys()
                uid = self._new_uid(record.meta.get("source"), sha, taken)
                pending_without_uid[sha] = uid
            if uid in pending:
                if pending[uid]["sha256"] != sha:
                    raise FormatError(
                        self.path, parsed.line, f"document '{uid}' appears twice with different texts", "id"
                    )
            else:
                self._position += 1
                pending[uid] = {
                    "uid": uid,
                    "title": record.title or uid,
                    "text": record.text,
                    "length": len(record.text),
                    "sha256": sha,
                    "meta": record.meta,
                    "position": self._position,
                    "created_at": utcnow(),
                }
            resolved.append(uid)
        if pending:
            for part in chunks(list(pending.values())):
                self.conn.execute(insert(document_t), part)
            for uid, (doc_id, sha) in self._fetch("uid", list(pending)).items():
                self._added_by_uid[uid] = (doc_id, sha)
            for sha, uid in pending_without_uid.items():
                self._added_by_sha[sha] = self._added_by_uid[uid][0]
        return [self._added_by_uid[r][0] if isinstance(r, str) else r for r in resolved]

    def _new_uid(self, source: Any, sha: str, taken: set[str]) -> str:
        if isinstance(source, str) and source and source not in taken:
            return source
        base = f"{source}-{sha[:8]}" if isinstance(source, str) and source else f"doc-{sha[:12]}"
        uid, n = base, 1
        while uid in taken:
            n += 1
            uid = f"{base}-{n}"
        return uid

    def _fetch(self, column: str, values: list[Any]) -> dict[Any, tuple[Any, str]]:
        """Stored documents keyed by uid or sha256: key -> (id, sha256)."""
        col = document_t.c[column]
        found: dict[Any, tuple[Any, str]] = {}
        for part in chunks(sorted(set(values))):
            query = select(col, document_t.c.id, document_t.c.sha256).where(col.in_(part))
            for key, doc_id, sha in self.conn.execute(self._locked(query)):
                found.setdefault(key, (doc_id, sha))
        return found

    # --- statuses -----------------------------------------------------------------------------------

    def _collect_statuses(self, batch: list[ParsedRecord], doc_ids: list[int]) -> None:
        wanted = self._wanted_status
        for parsed, doc_id in zip(batch, doc_ids, strict=True):
            for name, status in parsed.record.status.items():
                key = (doc_id, self._annotators[name])
                if key not in wanted or STATUSES.index(status) > STATUSES.index(wanted[key]):  # type: ignore[arg-type]
                    wanted[key] = status

    def _merge_statuses(self) -> None:
        """A status only moves forward (todo < in_progress < done)."""
        wanted = self._wanted_status
        if not wanted:
            return
        c = status_t.c
        stored: dict[tuple[int, int], str] = {}
        for part in chunks(sorted({d for d, _ in wanted})):
            for doc_id, ann_id, status in self.conn.execute(
                select(c.document_id, c.annotator_id, c.status).where(c.document_id.in_(part))
            ):
                stored[(doc_id, ann_id)] = status
        now = utcnow()
        new_rows = []
        for (doc_id, ann_id), status in wanted.items():
            old = stored.get((doc_id, ann_id))
            if old is None:
                new_rows.append(
                    {"document_id": doc_id, "annotator_id": ann_id, "status": status, "updated_at": now}
                )
            elif STATUSES.index(status) > STATUSES.index(old):  # type: ignore[arg-type]
                self.conn.execute(
                    update(status_t)
                    .where(c.document_id == doc_id, c.annotator_id == ann_id)
                    .values(status=status, updated_at=now)
                )
        if new_rows:
            self.conn.execute(insert(status_t), new_rows)
