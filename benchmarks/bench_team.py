"""Issue 13's figures: the Team view and queues on 100,000 documents, 20 annotators, 2,000,000 spans.

Builds the database through raw SQL (executemany on SQLite, COPY on PostgreSQL: an import of this
size through the app would take minutes and measure something else), then times what a person
waits for:

- assignment by rule of 100,000 documents (plan + store; targets <= 5 s), on the empty database
  and again once the spans are there (re-planning keeps the work done);
- the Team view's data (aggregates) and the window opening with its charts drawn (<= 500 ms);
- agreement on the sample (filled in after the view opens);
- one annotator's queue: their assigned documents in order, and the document list with it.

Run:  python benchmarks/bench_team.py                 (SQLite in a temporary folder)
      python benchmarks/bench_team.py postgresql+psycopg://admin:pw@localhost/postgres
      (or ANNOTATOR_TEST_PG_URL=... python benchmarks/bench_team.py --pg)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.services.workspace import Workspace

DOCUMENTS = 100_000
ANNOTATORS = 20
SPANS = 2_000_000
WORDS = [
    "the",
    "talks",
    "in",
    "beijing",
    "ended",
    "with",
    "trade",
    "energy",
    "deal",
    "leverage",
    "pipeline",
    "sanctions",
    "yuan",
    "oil",
    "gas",
    "summit",
]


def timed(what: str, job: Callable[[], Any], repeat: int = 3) -> Any:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = job()
        best = min(best, time.perf_counter() - start)
    print(f"{what:<58} {best * 1000:>9.0f} ms")
    return result


def build(ws: Workspace, rng: random.Random) -> None:
    """100,000 documents (texts drawn from 500 generated ones, 40-160 words) and 21 people."""
    postgres = not ws.is_sqlite
    now = datetime.now(UTC)
    start = time.perf_counter()
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 160))) for _ in range(500)]
    docs = []
    for i in range(DOCUMENTS):
        body = texts[rng.randrange(len(texts))]
        docs.append((i + 1, f"doc-{i + 1}", f"Document {i + 1}", body, "0" * 64, "{}", i, len(body)))
    names = [("sam", "supervisor")] + [(f"annotator{k:02d}", "annotator") for k in range(ANNOTATORS)]
    raw = ws.db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if postgres:
            with cur.copy(
                "COPY document (id, uid, title, text, sha256, meta, position, length, created_at) FROM STDIN"
            ) as copy:
                for row in docs:
                    copy.write_row((*row, now))
            cur.execute("SELECT setval(pg_get_serial_sequence('document', 'id'), %s)", (DOCUMENTS,))
            cur.executemany("INSERT INTO annotator (name, role) VALUES (%s, %s)", names)
        else:
            cur.execute("BEGIN")  # the driver autocommits: one transaction, not 100,000
            stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
            cur.executemany(
                "INSERT INTO document (id, uid, title, text, sha256, meta, position, length, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*d, stamp) for d in docs],
            )
            cur.executemany("INSERT INTO annotator (name, role) VALUES (?, ?)", names)
        raw.commit()
    finally:
        raw.close()
    print(f"{'built 100,000 documents, 21 people':<58} {time.perf_counter() - start:>9.1f} s")


def draw_work(
    rows: list[tuple[int, int, int, str, bool]], lengths: dict[int, int], labels: list[int], seed: int
):
    """numpy draws 2,000,000 distinct spans on the assigned documents and a status per assignment
    (half done, a fifth in progress); minutes ago: spans within ten days, statuses within seven."""
    import numpy as np

    gen = np.random.default_rng(seed)
    doc = np.array([r[0] for r in rows])
    ann = np.array([r[1] for r in rows])
    per = -(-SPANS // len(rows)) + 1
    docs, anns = np.repeat(doc, per), np.repeat(ann, per)
    length = np.array([lengths[d] for d in doc.tolist()]).repeat(per)
    first = (gen.random(len(docs)) * (length - 21)).astype(np.int64)
    last = np.minimum(length, first + gen.integers(3, 21, len(docs)))
    pick = gen.integers(0, len(labels), len(docs))
    pick = np.where((anns % 5 == 0) & (pick == 2), 3, pick)  # some never use the third label
    key = np.unique(np.stack([docs, anns, np.array(labels)[pick], first, last], axis=1), axis=0)
    key = key[gen.permutation(len(key))[:SPANS]]
    span_minutes = gen.integers(0, 10 * 24 * 60, len(key))
    roll = gen.random(len(rows))
    states = np.where(roll < 0.5, "done", np.where(roll < 0.7, "in_progress", "todo"))
    status_minutes = gen.integers(0, 7 * 24 * 60, len(rows))
    spans = list(zip(*key.T.tolist(), span_minutes.tolist(), strict=True))
    statuses = list(zip(doc.tolist(), ann.tolist(), states.tolist(), status_minutes.tolist(), strict=True))
    return spans, statuses


def add_work(ws: Workspace, seed: int) -> None:
    """The drawn spans and statuses, written with COPY (PostgreSQL) or executemany (SQLite)."""
    postgres = not ws.is_sqlite
    start = time.perf_counter()
    rows = ws.assignments.all_rows()
    raw = ws.db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SELECT id, length FROM document")
        lengths = dict(cur.fetchall())
        cur.execute("SELECT id FROM label ORDER BY position")
        labels = [r[0] for r in cur.fetchall()]
        spans, statuses = draw_work(rows, lengths, labels, seed)
        now = datetime.now(UTC)
        if postgres:
            stamps: list[Any] = [now - timedelta(minutes=m) for m in range(10 * 24 * 60)]
        else:
            stamps = [
                (now - timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M:%S.%f") for m in range(10 * 24 * 60)
            ]
        span_rows = [(d, a, la, f, e, stamps[m], stamps[m]) for d, a, la, f, e, m in spans]
        status_rows = [(d, a, s, stamps[m]) for d, a, s, m in statuses]
        if postgres:
            with cur.copy(
                'COPY span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) FROM STDIN'
            ) as copy:
                for row in span_rows:
                    copy.write_row(row)
            with cur.copy(
                "COPY document_status (document_id, annotator_id, status, updated_at) FROM STDIN"
            ) as copy:
                for row in status_rows:
                    copy.write_row(row)
        else:
            cur.execute("BEGIN")
            cur.executemany(
                'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                span_rows,
            )
            cur.executemany(
                "INSERT INTO document_status (document_id, annotator_id, status, updated_at) VALUES (?, ?, ?, ?)",
                status_rows,
            )
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    print(
        f"{f'added {len(span_rows):,} spans, {len(status_rows):,} statuses':<58} {time.perf_counter() - start:>9.1f} s"
    )


def measure(target: str) -> None:
    rng = random.Random(13)
    ws = Workspace.open(target)
    try:
        build(ws, rng)
        timed(
            "assign by rule, 100,000 docs (2% sample to all, rest to 1)",
            lambda: ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=2, seed=1),
            repeat=1,
        )
        add_work(ws, 13)
        summary = timed(
            "re-plan the same rule with 2M spans stored (keeps work)",
            lambda: ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=2, seed=1),
            repeat=1,
        )
        print(f"  ({summary.rows:,} assignments, {summary.kept:,} kept for work done)")
        timed(
            "plan only (dry run)",
            lambda: ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=2, seed=2, dry_run=True),
            repeat=1,
        )
        timed("Team view data: progress aggregates", lambda: ws.progress.team_progress())
        timed(
            "Team view data: agreement on the sample",
            lambda: ws.sample_agreement.sample_agreement(),
            repeat=1,
        )
        timed(
            "  the same again, nothing changed (kept figures)",
            lambda: ws.sample_agreement.sample_agreement(),
        )
        me = ws.annotators.find("annotator07")
        assert me is not None
        queue = timed(
            "queue: one annotator's assigned documents in order", lambda: ws.assignments.queue(me.id)
        )
        print(f"  ({len(queue):,} documents in the queue)")
        timed(
            "queue + document list of 100,000 (list_for)",
            lambda: (ws.assignments.queue(me.id), ws.documents.list_for(me.id)),
        )
        measure_gui(ws)
    finally:
        ws.close()


def measure_gui(ws: Workspace) -> None:
    from PySide6.QtCore import QThreadPool

    from annotator.app import make_application
    from annotator.ui.team.team_view import TeamView

    app = make_application()
    sam = ws.annotators.find("sam")
    assert sam is not None

    def open_view() -> None:
        view = TeamView(ws, sam, compute_agreement_now=False)
        view.show()
        app.processEvents()
        view.repaint()
        view.close()
        view.deleteLater()
        app.processEvents()

    timed("Team view opens, charts drawn (agreement in background)", open_view)
    QThreadPool.globalInstance().waitForDone()  # the agreement jobs, before the database closes


@contextmanager
def scratch_database(admin: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one run (created through the admin URL, dropped after):
    yields its URL with the password."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(admin)
    name = f"annotator_bench_{uuid.uuid4().hex[:10]}"
    params = {
        "host": url.host or "localhost",
        "port": url.port or 5432,
        "user": url.username,
        "password": url.password,
        "dbname": url.database or "postgres",
    }
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dsn", nargs="?", help="PostgreSQL admin URL (default: SQLite)")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL from ANNOTATOR_TEST_PG_URL")
    args = parser.parse_args()
    admin = args.dsn or (os.environ.get("ANNOTATOR_TEST_PG_URL") if args.pg else None)
    if not admin:
        with tempfile.TemporaryDirectory() as tmp:
            print("SQLite")
            measure(str(Path(tmp) / "bench.db"))
        return 0
    with scratch_database(admin) as target:
        print("PostgreSQL (as the owner)")
        measure(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
