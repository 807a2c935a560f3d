"""Assignment by rule of 100,000 documents on PostgreSQL (issue 13: <= 5 s), before and after
migration 0010, in one run on one database.

Builds 100,000 documents and 21 people (as bench_team.py), then times
``assign_by_rule(n=1, sample_percent=2)`` (138,000 rows) on an empty plan, five times each with
the write function of revision 0009 (the foreign-key triggers once per row) and of revision 0010
(references checked once per plan), and prints the medians, with the time the server spent in
the write alone.

Run:  ANNOTATOR_TEST_PG_URL=postgresql+psycopg://admin:pw@localhost/postgres python benchmarks/bench_assign_pg.py
"""

from __future__ import annotations

import importlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import text

from annotator.services.workspace import Workspace
from annotator.store import assignments as store

ROUNDS = 5


def install(ws: Workspace, *, fast: bool) -> None:
    migration = importlib.import_module("annotator.store.migrations.versions.r0010_fast_assignment_writes")
    with ws.db.engine.begin() as conn:
        schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
        conn.execute(text(migration._function(f"SET search_path = {schema}, pg_temp", fast=fast)))


def rounds(ws: Workspace) -> tuple[list[float], list[float]]:
    """(whole assign_by_rule, the write alone) per round, each on an empty plan."""
    whole, writes = [], []
    original = store.write

    def timed_write(*args: object, **kwargs: object) -> None:
        start = time.perf_counter()
        original(*args, **kwargs)
        writes.append(time.perf_counter() - start)

    store.write = timed_write
    try:
        for _ in range(ROUNDS):
            with ws.db.engine.begin() as conn:
                conn.execute(text("TRUNCATE assignment"))
            start = time.perf_counter()
            summary = ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=2, seed=1)
            whole.append(time.perf_counter() - start)
        assert summary.rows == 138_000, summary.rows
    finally:
        store.write = original
    return whole, writes


def main() -> int:
    import bench_team

    admin = os.environ.get("ANNOTATOR_TEST_PG_URL") or (sys.argv[1] if len(sys.argv) > 1 else "")
    if not admin:
        print("set ANNOTATOR_TEST_PG_URL (a PostgreSQL admin URL)")
        return 2
    with bench_team.scratch_database(admin) as target:
        ws = Workspace.open(target)
        try:
            bench_team.build(ws, random.Random(13))
            results = {}
            for label, fast in (
                ("0009 write (triggers per row)", False),
                ("0010 write (checks per plan)", True),
            ):
                install(ws, fast=fast)
                results[label] = rounds(ws)
            print(f"assign by rule, 100,000 documents, 138,000 rows; median of {ROUNDS}:")
            for label, (whole, writes) in results.items():
                print(
                    f"  {label:<32} whole {statistics.median(whole):6.2f} s"
                    f"   write {statistics.median(writes):6.2f} s"
                    f"   (whole: {', '.join(f'{x:.2f}' for x in whole)})"
                )
        finally:
            install(ws, fast=True)
            ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
