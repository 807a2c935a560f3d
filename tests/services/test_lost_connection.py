"""A PostgreSQL server that drops the app's connections (a restart) costs no edit."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from annotator.services.workspace import Workspace
from tests.conftest import PG_ADMIN_URL


@pytest.mark.postgres
def test_edits_after_the_server_dropped_every_connection(ws: Workspace, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no server connection to lose")
    ws.ensure_sample()
    me = ws.annotators.sign_in("alice")
    doc = ws.documents.list_for(me.id)[0]
    label = ws.labels.list()[0].id
    ws.annotations.add(doc.id, me.id, label, 1, 6)
    database = ws.db.engine.url.database
    from sqlalchemy import create_engine

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :db"),
            {"db": database},
        ).scalar_one()
    admin.dispose()
    assert killed >= 1  # the app's pooled connection was there, and is gone now
    span = ws.annotations.add(doc.id, me.id, label, 10, 20)
    assert [s.id for s in ws.annotations.spans_for(doc.id, me.id)][-1] == span.id
    assert len(ws.annotations.spans_for(doc.id, me.id)) == 2
