"""PostgreSQL against SQLite: the 300,000-span import/export, and adding a span over loopback.

Run: python benchmarks/bench_postgres.py [ADMIN_URL]
ADMIN_URL (default: $ANNOTATOR_TEST_PG_URL) is a connection that may create databases. Targets:
import and export on PostgreSQL within 2x of the same on SQLite; adding a span <= 16 ms median.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import psycopg  # noqa: E402
from bench_exchange import make_corpus  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from annotator.services.workspace import Workspace  # noqa: E402

REPEATS = 3


def admin_connection(admin_url: str) -> psycopg.Connection:
    url = make_url(admin_url)
    return psycopg.connect(
        host=url.host or "localhost",
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=url.database or "postgres",
        autocommit=True,
    )


def new_database(admin_url: str) -> tuple[str, str]:
    name = f"annotator_bench_{uuid.uuid4().hex[:10]}"
    with admin_connection(admin_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    with admin_connection(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def plain_owner_imports(admin: str, corpus: Path, py: list[str]) -> list[float]:
    """The import as docs/team-setup.md's owner without `GRANT SET ON PARAMETER
    session_replication_role`: PostgreSQL's per-row foreign-key triggers stay on."""
    role = f"bench_owner_{uuid.uuid4().hex[:8]}"
    times = []
    with admin_connection(admin) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{role}'")
    try:
        for _ in range(REPEATS):
            name = f"annotator_bench_{uuid.uuid4().hex[:10]}"
            with admin_connection(admin) as conn:
                conn.execute(f'CREATE DATABASE "{name}" OWNER {role}')
            try:
                with admin_connection(
                    make_url(admin).set(database=name).render_as_string(hide_password=False)
                ) as conn:
                    conn.execute(f"ALTER SCHEMA public OWNER TO {role}")
                url = make_url(admin).set(username=role, password=role, database=name)
                times.append(timed([*py, url.render_as_string(hide_password=False), "import", str(corpus)]))
            finally:
                drop_database(admin, name)
    finally:
        with admin_connection(admin) as conn:
            conn.execute(f"DROP ROLE {role}")
    return times


def main() -> None:
    admin = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ANNOTATOR_TEST_PG_URL", "")
    if not admin:
        sys.exit("give an admin URL (or set ANNOTATOR_TEST_PG_URL)")
    tmp = Path(tempfile.mkdtemp(prefix="annotator-pg-bench-"))
    corpus = tmp / "corpus.jsonl"
    spans = make_corpus(corpus)
    py = [sys.executable, "-m", "annotator", "--db"]
    created: list[str] = []
    results: dict[str, dict[str, list[float]]] = {
        "sqlite": {"import": [], "export": []},
        "postgresql": {"import": [], "export": []},
    }
    try:
        for i in range(REPEATS):
            name, pg_url = new_database(admin)
            created.append(name)
            for backend, target in (("sqlite", str(tmp / f"s{i}.db")), ("postgresql", pg_url)):
                results[backend]["import"].append(timed([*py, target, "import", str(corpus)]))
                out = tmp / f"{backend}.jsonl"
                results[backend]["export"].append(
                    timed([*py, target, "export", "--format", "jsonl", "-o", str(out)])
                )
        plain = plain_owner_imports(admin, corpus, py)
        med = statistics.median
        print(f"{spans:,} spans over 1,000 documents; medians of {REPEATS} runs, process start included")
        for step in ("import", "export"):
            s, p = med(results["sqlite"][step]), med(results["postgresql"][step])
            print(f"{step}: PostgreSQL {p:.2f} s, SQLite {s:.2f} s, ratio {p / s:.2f} (target <= 2)")
        s = med(results["sqlite"]["import"])
        print(
            f"import as an owner role without the optional grant (per-row foreign-key triggers): "
            f"{med(plain):.2f} s, ratio {med(plain) / s:.2f}"
        )
        name, pg_url = new_database(admin)
        created.append(name)
        workspace = Workspace.open(pg_url)
        workspace.ensure_sample()
        me = workspace.annotators.sign_in("bench")
        doc = workspace.documents.list_for(me.id)[0]
        labels = [x.id for x in workspace.labels.list()]
        rng = random.Random(1)
        adds = []
        for i in range(300):
            start = rng.randrange(0, doc.length - 50)
            t0 = time.perf_counter()
            workspace.annotations.add(doc.id, me.id, labels[i % 4], start, start + rng.randint(3, 40))
            adds.append(time.perf_counter() - t0)
        workspace.close()
        print(
            f"add a span over loopback (one committed transaction): median {med(adds) * 1000:.1f} ms "
            f"(max {max(adds) * 1000:.1f}) (target <= 16 ms)"
        )
    finally:
        for name in created:
            drop_database(admin, name)


if __name__ == "__main__":
    main()
