"""Search across documents (issue 12) on 100,000 documents, on SQLite and on PostgreSQL.

Run: python benchmarks/bench_search.py [--documents N] [--pg URL]
"first" is the count and the first page with nothing remembered (what a person waits for after
typing); "count" is what the document list asks first: the number of rows, up to COUNT_CAP (a needle found
in more documents is counted further as the list is scrolled). The PostgreSQL half runs when --pg or ANNOTATOR_TEST_PG_URL names a server where the user may
create databases (a fresh one is made and dropped). For each needle: the list's count and its first
page of 200 rows with hit counts (what the window asks when a person types), as the median of 5,
beside the floor: the same count as one plain query on the document table (LIKE / ILIKE over title,
text and id: a scan on SQLite, the trigram indexes on PostgreSQL).
Needles of one or two code points ("東京", "税") have no index to use: the list reads the texts
in its order until a page and the capped count are found (all of them when the needle is rare).
The documents are those of bench_gui_scale.py: one in 500 mentions "zeppelin", one in 50 carries
emoji, CJK or right-to-left text.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gui_scale import build_many
from sqlalchemy import text

from annotator.services.document_pages import DocumentPages, DocumentQuery
from annotator.services.workspace import Workspace
from annotator.ui.document_page_model import COUNT_CAP

NEEDLES = ["zeppelin", "東京 の", "שלום עולם", "👩‍👩‍👧 family", "Putin", "economic"]
# One and two code points: too short for a trigram index, looked for row by row (found in 400
# documents; found nowhere, so every text is read; a cased pair nowhere; a pair nearly everywhere).
SHORT_NEEDLES = ["東京", "税", "xq", "of"]


def median_ms(work: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def measure(ws: Workspace, label: str) -> None:
    me = ws.reads.find_annotator("bench")
    assert me is not None
    pages = ws.document_pages
    like = "LIKE" if ws.is_sqlite else "ILIKE"
    print(f"{label}: {pages.count(DocumentQuery(me.id)):,} documents")
    print(
        f"  {'needle':<16} {'found':>7} {'first ms':>9} {'count ms':>9} {'page ms':>8} {'scan ms':>8} {'x scan':>7}"
    )
    for needle in NEEDLES + SHORT_NEEDLES:
        query = DocumentQuery(me.id, needle=needle)
        # What a person waits for after typing: the count and the first page, nothing remembered.
        fresh = DocumentPages(ws.db)
        t0 = time.perf_counter()
        fresh.count_upto(query, COUNT_CAP)
        fresh.page(query, 0, 200)
        first_ms = (time.perf_counter() - t0) * 1000
        found = pages.count(query)
        count_ms = median_ms(lambda q=query: pages.count_upto(q, COUNT_CAP))  # what the list asks
        page_ms = median_ms(lambda q=query: pages.page(q, 0, 200))

        def scan(n: str = needle) -> object:
            with ws.db.read_rows() as conn:
                return conn.execute(
                    text(
                        f"SELECT count(*) FROM document WHERE title {like} :p OR text {like} :p OR uid {like} :p"
                    ),
                    {"p": f"%{n}%"},
                ).scalar_one()

        scan_ms = median_ms(scan, 3)
        print(
            f"  {needle:<16} {found:>7,} {first_ms:>9.1f} {count_ms:>9.1f} {page_ms:>8.1f} {scan_ms:>8.1f} "
            f"{(count_ms + page_ms) / scan_ms:>7.2f}"
        )


def build_postgres(admin_url: str, sqlite_db: Path) -> tuple[str, Callable[[], None]]:
    """A fresh PostgreSQL database with the same documents (COPY, indexes rebuilt after)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(admin_url)
    name = f"annotator_bench_{uuid.uuid4().hex[:8]}"
    params = {"host": url.host, "port": url.port, "user": url.username, "password": url.password}
    params = {k: v for k, v in params.items() if v is not None}
    with psycopg.connect(dbname=url.database, autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    target = url.set(database=name).render_as_string(hide_password=False)
    ws = Workspace.open(target, lazy=True)
    ws.annotators.sign_in("bench")
    ws.close()
    import sqlite3

    source = sqlite3.connect(sqlite_db)
    with psycopg.connect(dbname=name, **params) as conn:
        conn.execute("DROP INDEX IF EXISTS ix_document_text_trgm")
        conn.execute("DROP INDEX IF EXISTS ix_document_title_trgm")
        conn.execute("DROP INDEX IF EXISTS ix_document_uid_trgm")
        with conn.cursor().copy(
            "COPY document (uid, title, text, sha256, meta, position, created_at, length) FROM STDIN"
        ) as copy:
            for row in source.execute(
                "SELECT uid, title, text, sha256, meta, position, created_at, length FROM document ORDER BY id"
            ):
                copy.write_row(row)
        conn.execute(
            "INSERT INTO document_status (document_id, annotator_id, status, updated_at) "
            "SELECT d.id, a.id, 'done', now() FROM document d, annotator a WHERE a.name = 'bench' AND d.position % 7 = 0"
        )
        conn.execute("CREATE INDEX ix_document_text_trgm ON document USING gin (text gin_trgm_ops)")
        conn.execute("CREATE INDEX ix_document_title_trgm ON document USING gin (title gin_trgm_ops)")
        conn.execute("CREATE INDEX ix_document_uid_trgm ON document USING gin (uid gin_trgm_ops)")
        conn.execute("COMMIT")
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE document")
    source.close()

    def drop() -> None:
        with psycopg.connect(dbname=url.database, autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return target, drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get("ANNOTATOR_TEST_PG_URL"))
    parser.add_argument("--reuse", type=Path, help="a database an earlier run built (its many.db)")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.reuse:
        db = args.reuse
    else:
        db = Path(tempfile.mkdtemp(prefix="annotator-search-")) / "many.db"
        t0 = time.perf_counter()
        build_many(db, args.documents, random.Random(16))
        seconds = time.perf_counter() - t0
        print(
            f"built {args.documents:,} documents on SQLite (indexed by the FTS5 triggers) in {seconds:.1f} s"
        )
    ws = Workspace.open(str(db), lazy=True)
    measure(ws, "SQLite, FTS5 trigram index")
    ws.close()
    if args.pg:
        t0 = time.perf_counter()
        target, drop = build_postgres(args.pg, db)
        print(f"built the same documents on PostgreSQL in {time.perf_counter() - t0:.1f} s")
        try:
            ws = Workspace.open(target, lazy=True)
            measure(ws, "PostgreSQL, pg_trgm GIN indexes")
            ws.close()
        finally:
            drop()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
