"""The upgrade to schema 0005 on a team database made and used by the release before it (0004):
real login roles with the GRANTs the docs gave then, spans and statuses they wrote themselves."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from annotator.services.workspace import Workspace
from annotator.store.migrations.runner import HEAD_REVISION
from tests.conftest import psycopg_connect
from tests.store.older_release import at_revision
from tests.store.team import OLD_TEAM_SQL, TEXT, group_of, role_url, team_roles

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgresql"], indirect=True)]


def test_upgrading_a_populated_0004_team_database(database_factory: Callable[[str], str]) -> None:
    import psycopg

    owner_url = database_factory("old")
    with at_revision(owner_url, "0004") as (engine, conn):
        conn.execute(
            text(
                "INSERT INTO document (uid, title, text, sha256, meta, position, length, created_at) "
                "VALUES ('talks', 'Talks', :t, 'x', '{}', 0, :n, now())"
            ),
            {"t": TEXT, "n": len(TEXT)},
        )
    try:
        with team_roles(owner_url, grants=OLD_TEAM_SQL) as names:
            group = group_of(names["alice"])
            urls = {w: role_url(owner_url, r) for w, r in names.items()}
            # The 0004 way: each person writes the tables directly, row security deciding.
            for who, start in (("alice", 0), ("bob", 6)):
                with psycopg_connect(urls[who]) as conn:
                    conn.execute("INSERT INTO annotator (name, role) VALUES (current_user, 'annotator')")
                    conn.execute(
                        'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
                        "SELECT 1, annotator_current_id(), 1, %s, %s + 3, now(), now()",
                        (start, start),
                    )
                    conn.execute(
                        "INSERT INTO document_status (document_id, annotator_id, status, updated_at) "
                        "SELECT 1, annotator_current_id(), 'done', now()"
                    )
                    assert conn.execute("SELECT count(*) FROM span").fetchone() == (1,)
                    assert conn.execute("SELECT last_value FROM span_id_seq").fetchone() is not None

            Workspace.open(owner_url).close()  # the owner's first start upgrades

            with engine.connect() as conn:
                assert (
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
                    == HEAD_REVISION
                )
                privileges = dict(
                    conn.execute(
                        text(
                            "SELECT t, has_table_privilege(:g, t, 'SELECT, INSERT, UPDATE, DELETE') "
                            "FROM unnest(ARRAY['span', 'document_status', 'span_id_seq', 'document_id_seq', "
                            "'annotator_listener', 'annotator_import_lock', 'document_label', "
                            "'document_comment']) AS t"
                        ),
                        {"g": group},
                    ).all()
                )
                assert not any(privileges.values()), privileges
                for table in (
                    "document",
                    "label",
                    "annotator",
                    "alembic_version",
                    "annotator_api.span",
                    "annotator_api.document_label",  # (0007 grants its views to the team 0005 found)
                    "annotator_api.document_comment",
                    "guideline_version",
                ):
                    assert conn.execute(
                        text("SELECT has_table_privilege(:g, :t, 'SELECT')"), {"g": group, "t": table}
                    ).scalar_one()
                for table in ("document", "label", "annotator"):
                    assert not conn.execute(
                        text("SELECT has_table_privilege(:g, :t, 'INSERT, UPDATE, DELETE')"),
                        {"g": group, "t": table},
                    ).scalar_one()
                assert conn.execute(text("SELECT count(*) FROM pg_default_acl")).scalar_one() == 0
                conn.execute(text("CREATE TABLE made_later (x integer)"))  # no default privileges left
                assert not conn.execute(
                    text("SELECT has_table_privilege(:g, 'made_later', 'SELECT')"), {"g": group}
                ).scalar_one()
                conn.rollback()

            with psycopg_connect(urls["alice"]) as conn:
                for statement in ("SELECT count(*) FROM span", "SELECT last_value FROM span_id_seq"):
                    with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                        conn.execute(statement)
                assert conn.execute("SELECT count(*) FROM annotator_api.span").fetchone() == (1,)

            # Everyone carries on through the app, with what they wrote before.
            alice_ws, sam_ws = Workspace.open(urls["alice"]), Workspace.open(urls["sam"])
            try:
                alice = alice_ws.annotators.sign_in(names["alice"])
                assert [(s.start, s.end) for s in alice_ws.annotations.spans_for(1, alice.id)] == [(0, 3)]
                assert alice_ws.documents.status_of(1, alice.id) == "done"
                alice_ws.annotations.add(1, alice.id, 2, 10, 12)
                alice_ws.document_data.set_comment(1, alice.id, "a question")
                assert alice_ws.document_data.comment(1, alice.id) == "a question"
                sam_ws.annotators.sign_in(names["sam"], "supervisor")
                comparison = sam_ws.review.compare(1)
                assert sorted(comparison.spans) == sorted([names["alice"], names["bob"]])
                assert len(comparison.spans[names["alice"]]) == 2
            finally:
                alice_ws.close()
                sam_ws.close()
    finally:
        engine.dispose()


def test_a_team_whose_owner_is_not_a_superuser(database_factory: Callable[[str], str], tmp_path) -> None:
    """docs/team-setup.md step 1: the owner is a plain login role owning the database; it creates
    the schema (every migration, 0005's functions and views included), imports, and deletes."""
    import uuid

    from sqlalchemy.engine import make_url

    admin_url = database_factory("plain-owner")
    owner_role = f"owner_{uuid.uuid4().hex[:10]}"
    admin = psycopg_connect(admin_url)
    db = make_url(admin_url).database
    admin.execute(f"CREATE ROLE {owner_role} LOGIN PASSWORD '{owner_role}'")
    admin.execute(f'ALTER DATABASE "{db}" OWNER TO {owner_role}')
    admin.execute(f"GRANT CREATE ON SCHEMA public TO {owner_role}")  # PostgreSQL 15: no longer PUBLIC's
    owner_url = role_url(admin_url, owner_role)
    try:
        owner = Workspace.open(owner_url)
        try:
            assert not owner.db.team_member
            source = tmp_path / "talks.txt"
            source.write_text(TEXT, encoding="utf-8")
            assert owner.importer.import_paths([source]).ok
            with team_roles(owner_url, superuser_url=admin_url) as names:
                alice_ws, sam_ws = Workspace.open(role_url(owner_url, names["alice"])), None
                try:
                    assert alice_ws.db.team_member
                    alice = alice_ws.annotators.sign_in(names["alice"])
                    [doc] = alice_ws.documents.list_for(alice.id)
                    alice_ws.annotations.add(doc.id, alice.id, alice_ws.labels.list()[0].id, 0, 5)
                    sam_ws = Workspace.open(role_url(owner_url, names["sam"]))
                    sam_ws.annotators.sign_in(names["sam"], "supervisor")
                    assert list(sam_ws.review.compare(doc.id).spans) == [names["alice"]]
                    listener = sam_ws.review.change_listener()
                    assert listener is not None
                    alice_ws.annotations.add(doc.id, alice.id, alice_ws.labels.list()[0].id, 6, 9)
                    listener._conn.execute("SELECT 1")
                    assert listener.drain() >= 1
                    listener.close()
                finally:
                    alice_ws.close()
                    if sam_ws is not None:
                        sam_ws.close()
                deleted = owner.documents.delete(doc.uid)
                assert deleted.spans == {names["alice"]: 2}
        finally:
            owner.close()
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (owner_role,)
        )
        admin.execute(f'ALTER DATABASE "{db}" OWNER TO {make_url(admin_url).username}')
        admin.close()
        with psycopg_connect(admin_url) as conn:  # inside the database: what the owner owns there
            conn.execute(f"REASSIGN OWNED BY {owner_role} TO {make_url(admin_url).username}")
            conn.execute(f"DROP OWNED BY {owner_role}")
        with psycopg_connect(admin_url) as conn:
            conn.execute(f"DROP ROLE {owner_role}")
