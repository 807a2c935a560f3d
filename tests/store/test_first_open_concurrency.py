"""Several people opening a fresh database at the same moment: every process succeeds and the schema
is created once (issue: two of three `annotator import` processes died with a UniqueViolation)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from annotator.store.engine import to_url

REPO = Path(__file__).resolve().parents[2]
PROCESSES = 4

# Each process loads the program first, then waits for the same instant, then runs the real
# command: the schema creations overlap instead of queueing behind interpreter start-up.
AT_THE_SAME_MOMENT = """
import sys, time
import annotator.cli, annotator.services.workspace, annotator.store.migrations.runner
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
code = annotator.cli.main(sys.argv[2:])
sys.stdout.flush()
sys.exit(code)
"""


@pytest.mark.parametrize("round_", range(2))
def test_processes_opening_a_fresh_database_at_once_all_succeed(
    database_factory: Callable[[str], str], tmp_path: Path, round_: int
) -> None:
    target = database_factory("fresh.db")
    files = []
    for n in range(PROCESSES):
        path = tmp_path / f"doc-{n}.txt"
        path.write_text(f"Document {n} about trade and leverage.\n")
        files.append(path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("ANNOTATOR_DB", None)
    start = time.time() + 3.0
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", AT_THE_SAME_MOMENT, str(start), "--db", target, "import", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    for code, out, err in results:
        assert "Traceback" not in err, err
        assert code == 0, f"exit {code}: {err}"
        assert "1 new document" in out, out
    engine = create_engine(to_url(target))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM label")).scalar() == 4  # seeded once
            assert conn.execute(text("SELECT count(*) FROM document")).scalar() == PROCESSES
    finally:
        engine.dispose()
