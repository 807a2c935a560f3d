"""The head schema of a new SQLite database as one SQL script, the way Rails loads schema.rb.

A new database is created by running this script instead of every migration through Alembic,
whose import alone took 0.1 s of each first start and each import into a new file. The script is
the migrated schema itself, dumped: tests/store/test_schema_snapshot.py migrates a database with
Alembic and checks that its dump equals this file, so the two cannot drift apart. After adding a
migration, regenerate it:

    python -m annotator.store.migrations.snapshot
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("sqlite_head.sql")


def dump(conn: sqlite3.Connection) -> str:
    """Schema (in creation order) and rows of a database, as a script that recreates both, headed by
    the file's application id (the mark of an Annotator database, see store/sqlite_files.py)."""
    lines = []
    (application_id,) = conn.execute("PRAGMA application_id").fetchone()
    if application_id:
        lines.append(f"PRAGMA application_id={application_id};")
    # A virtual table (FTS5) makes its own shadow tables, and holds no rows of its own.
    shadow = {row[0] for row in conn.execute("SELECT name FROM pragma_table_list WHERE type = 'shadow'")}
    objects = [
        row
        for row in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        )
        if row[1] not in shadow
    ]
    for _type, _name, sql in objects:
        lines.append(f"{sql};")
    for kind, name, sql in objects:
        if kind != "table" or sql.upper().startswith("CREATE VIRTUAL"):
            continue
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')]
        quoted = ", ".join(f'quote("{column}")' for column in columns)
        for row in conn.execute(f'SELECT {quoted} FROM "{name}" ORDER BY rowid'):
            lines.append(f'INSERT INTO "{name}" VALUES ({", ".join(row)});')
    return "\n".join(lines) + "\n"


def statements(script: str) -> list[str]:
    """The statements of a SQL script, split where SQLite itself sees one end (triggers hold
    semicolons inside BEGIN ... END, strings may too)."""
    done, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            done.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete statement at the end of the schema script: {pending[:80]!r}")
    return done


def create_from_snapshot(conn: sqlite3.Connection) -> bool:
    """Create the head schema in one transaction that holds the write lock from its start (the
    driver in autocommit mode). False, with nothing changed, when the database is no longer empty
    once the lock is held: another process created it meanwhile."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            conn.execute("ROLLBACK")
            return False
        for statement in statements(SNAPSHOT.read_text(encoding="utf-8")):
            conn.execute(statement)
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True


def migrated_dump() -> str:
    """The dump of a new database brought to the head revision by Alembic."""
    from sqlalchemy import create_engine

    from annotator.store.migrations.runner import _upgrade_to_head

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "head.db"
        engine = create_engine(f"sqlite:///{path}")
        try:
            _upgrade_to_head(engine)
        finally:
            engine.dispose()
        with sqlite3.connect(path) as conn:
            return dump(conn)


if __name__ == "__main__":
    SNAPSHOT.write_text(migrated_dump(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
