"""PostgreSQL imports with and without the per-row foreign-key triggers.

A role that may set session_replication_role imports with the triggers off, and the writer takes
their locks itself (FOR KEY SHARE on every stored parent row it reads); any other role keeps the
triggers. Both must store the same thing, and neither may let a parent row vanish mid-import.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from annotator.services.store_writer import BATCH, RecordWriter
from annotator.services.workspace import Workspace
from tests.conftest import PG_ADMIN_URL, psycopg_connect
from tests.services.conftest import counts, import_ok, write_jsonl
from tests.services.test_import_batches import record

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgresql"], indirect=True)]
DOCS = BATCH + 20


@pytest.fixture
def owner_url(database_factory: Callable[[str], str]) -> Iterator[str]:
    """A database owned by a plain login role (no superuser), as in docs/team-setup.md."""
    url = database_factory("owned")
    role = f"owner_{uuid.uuid4().hex[:10]}"
    database = make_url(url).database
    with psycopg_connect(PG_ADMIN_URL) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{role}'")
        admin.execute(f'ALTER DATABASE "{database}" OWNER TO {role}')
    with psycopg_connect(url) as conn:
        conn.execute(f"ALTER SCHEMA public OWNER TO {role}")
    yield make_url(url).set(username=role, password=role).render_as_string(hide_password=False)
    with psycopg_connect(PG_ADMIN_URL) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,))
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f"DROP ROLE {role}")


def skips_triggers(ws: Workspace) -> bool:
    with ws.db.write() as session:
        return RecordWriter(session.connection(), "probe")._skip_reference_triggers()


def stored(ws: Workspace) -> list[tuple[Any, ...]]:
    query = text(
        'SELECT d.uid, a.name, l.name, s.start, s."end", s.note FROM span s JOIN document d ON '
        "d.id = s.document_id JOIN annotator a ON a.id = s.annotator_id JOIN label l ON l.id = s.label_id "
        "ORDER BY 1, 2, 3, 4, 5"
    )
    with ws.db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def test_a_plain_owner_keeps_the_triggers_and_stores_the_same(
    owner_url: str, ws: Workspace, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(DOCS)] + [record(3, annotator="bob")])
    owned = Workspace.open(owner_url)
    try:
        assert not skips_triggers(owned)
        import_ok(owned, path)
        assert skips_triggers(ws)  # the test server's admin is a superuser
        import_ok(ws, path)
        assert counts(owned) == counts(ws) == (DOCS, 2 * DOCS + 2, DOCS + 1)
        assert stored(owned) == stored(ws)
    finally:
        owned.close()


def test_an_owner_granted_the_setting_skips_the_triggers(owner_url: str) -> None:
    role = make_url(owner_url).username
    with psycopg_connect(PG_ADMIN_URL) as admin:
        if admin.info.server_version < 150000:
            pytest.skip("GRANT SET ON PARAMETER needs PostgreSQL 15")
        admin.execute(f"GRANT SET ON PARAMETER session_replication_role TO {role}")
    owned = Workspace.open(owner_url)
    try:
        assert skips_triggers(owned)
    finally:
        owned.close()
        with psycopg_connect(PG_ADMIN_URL) as admin:
            admin.execute(f"REVOKE SET ON PARAMETER session_replication_role FROM {role}")


def test_the_setting_ends_with_the_import(ws: Workspace, tmp_path: Path) -> None:
    import_ok(ws, write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(3)]))
    with ws.db.engine.connect() as conn:
        assert conn.execute(text("SHOW session_replication_role")).scalar() == "origin"
    with pytest.raises(Exception, match="violates foreign key"), ws.db.write() as session:
        session.connection().execute(
            text(
                'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
                "VALUES (999999, 1, 1, 0, 1, now(), now())"
            )
        )


@pytest.mark.parametrize(
    "delete",
    [
        "DELETE FROM document WHERE uid = 'doc-0'",  # a stored document the file merges into
        "DELETE FROM label WHERE name = 'framing'",  # a label no stored span uses yet
    ],
    ids=["document", "label"],
)
def test_parents_cannot_be_deleted_while_the_import_runs(ws: Workspace, tmp_path: Path, delete: str) -> None:
    import psycopg

    import_ok(ws, write_jsonl(tmp_path / "before.jsonl", [{"id": "doc-0", "text": record(0)["text"]}]))
    assert skips_triggers(ws)
    attempts: list[str] = []

    def delete_mid_import(done: int, total: int) -> None:
        if attempts:
            return
        with psycopg_connect(ws.db.engine.url.render_as_string(hide_password=False)) as other:
            other.execute("SET lock_timeout = '300ms'")
            try:
                other.execute(delete)
                attempts.append("deleted")
            except psycopg.errors.LockNotAvailable:
                attempts.append("blocked")

    path = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(DOCS)])
    result = ws.importer.import_paths([path], progress=delete_mid_import)
    assert result.ok, result.files[0].error
    assert attempts == ["blocked"]
    with ws.db.engine.connect() as conn:
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM span s LEFT JOIN document d ON d.id = s.document_id "
                "LEFT JOIN label l ON l.id = s.label_id WHERE d.id IS NULL OR l.id IS NULL"
            )
        ).scalar_one()
    assert orphans == 0
    assert counts(ws)[1] == 2 * DOCS
