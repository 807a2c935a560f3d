"""Row-level security on a team's PostgreSQL database (migration 0003, docs/team-setup.md).

Each person connects as their own login role, set up with the GRANTs of docs/team-setup.md; the
checks go through the app's services and through plain SQL on the same role's connection, since the
database, not the app, is what keeps one annotator's spans from another.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace
from annotator.store.engine import to_url
from annotator.store.migrations.runner import HEAD_REVISION, MIGRATIONS_DIR
from tests.conftest import psycopg_connect

TEXT = "Putin met Xi in Beijing. Talks ended without a deal."

# The GRANTs of docs/team-setup.md, step 3, with the names of one test.
TEAM_SQL = """
CREATE ROLE {team} NOLOGIN;
REVOKE CONNECT ON DATABASE "{db}" FROM PUBLIC;
GRANT CONNECT ON DATABASE "{db}" TO {team};
GRANT USAGE ON SCHEMA public TO {team};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {team};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {team};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {team};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO {team};
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {team};
"""


@dataclass
class Team:
    owner_url: str
    owner: Workspace
    document_id: int
    urls: dict[str, str]  # short name (alice, bob, sam) -> that login role's URL
    roles: dict[str, str]  # short name -> role name (unique per test)
    opened: list[Workspace] = field(default_factory=list)

    def open(self, who: str) -> Workspace:
        ws = Workspace.open(self.urls[who])
        self.opened.append(ws)
        return ws

    def sql(self, who: str, statement: str, params: tuple[Any, ...] = ()) -> Any:
        """Run one statement on a plain driver connection of that role: (rowcount, rows)."""
        with psycopg_connect(self.urls[who]) as conn:
            cur = conn.execute(statement, params)
            rows = cur.fetchall() if cur.description else []
            return cur.rowcount, rows

    def owner_sql(self, statement: str, params: dict[str, Any] | None = None) -> Any:
        with self.owner.db.engine.begin() as conn:
            return conn.execute(text(statement), params or {}).all()


@contextmanager
def team_roles(owner_url: str, who: tuple[str, ...] = ("alice", "bob", "sam")) -> Iterator[dict[str, str]]:
    """Steps 3-5 of docs/team-setup.md: login roles with the team's GRANTs and a registered
    supervisor ('sam'); yields {short name: role name}. The roles are dropped afterwards."""
    url = make_url(owner_url)
    tag = uuid.uuid4().hex[:10]
    names = {w: f"rls_{w}_{tag}" for w in who}
    group = f"rls_team_{tag}"
    roles = [*names.values(), group]
    admin = psycopg_connect(owner_url)
    try:
        admin.execute(TEAM_SQL.format(team=group, db=url.database, owner=url.username))
        for role in names.values():
            admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{role}'")
            admin.execute(f"GRANT {group} TO {role}")
        if "sam" in names:
            admin.execute("INSERT INTO annotator (name, role) VALUES (%s, 'supervisor')", (names["sam"],))
        yield names
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(%s)",
            (roles,),
        )
        made = [r for (r,) in admin.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (roles,))]
        if made:
            admin.execute(f"DROP OWNED BY {', '.join(made)}")  # the GRANTs in this database
            for role in made:
                admin.execute(f"DROP ROLE {role}")
        admin.close()


def role_url(owner_url: str, role: str) -> str:
    return make_url(owner_url).set(username=role, password=role).render_as_string(hide_password=False)


@pytest.fixture
def team(database_factory: Callable[[str], str], tmp_path: Path) -> Iterator[Team]:
    owner_url = database_factory("team")
    owner = Workspace.open(owner_url)  # the owner creates the schema (migrations) ...
    source = tmp_path / "article.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert owner.importer.import_paths([source]).ok  # ... and imports the documents
    [doc] = owner.documents.list_for(0)
    opened: list[Workspace] = []
    try:
        with team_roles(owner_url) as names:
            urls = {w: role_url(owner_url, role) for w, role in names.items()}
            try:
                yield Team(owner_url, owner, doc.id, urls, names, opened)
            finally:
                for ws in opened:
                    ws.close()
    finally:
        owner.close()


def label_id(ws: Workspace) -> int:
    return ws.labels.list()[0].id


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_annotator_sees_and_changes_only_their_own_spans(team: Team) -> None:
    alice_ws, bob_ws = team.open("alice"), team.open("bob")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    bob = bob_ws.annotators.sign_in(team.roles["bob"])
    doc = team.document_id
    lab = label_id(alice_ws)

    # Alice works through the app as usual.
    assert [d.id for d in alice_ws.documents.list_for(alice.id)] == [doc]
    first = alice_ws.annotations.add(doc, alice.id, lab, 0, 5)
    second = alice_ws.annotations.add(doc, alice.id, lab, 10, 12, note="who")
    alice_ws.annotations.relabel(second.id, label_id(alice_ws) + 1)
    alice_ws.annotations.set_note(first.id, "the president")
    third = alice_ws.annotations.add(doc, alice.id, lab, 15, 22)
    alice_ws.annotations.delete(third.id)
    alice_ws.documents.set_status(doc, alice.id, "done")
    assert alice_ws.documents.status_of(doc, alice.id) == "done"
    assert len(alice_ws.annotations.spans_for(doc, alice.id)) == 2
    [summary] = alice_ws.documents.list_for(alice.id)
    assert (summary.status, summary.span_count) == ("done", 2)

    # Bob sees none of it, through the services ...
    assert bob_ws.annotations.spans_for(doc, alice.id) == []
    [summary] = bob_ws.documents.list_for(alice.id)
    assert (summary.status, summary.span_count) == ("todo", 0)
    assert bob_ws.documents.status_of(doc, alice.id) == "todo"
    # ... nor with plain SQL on his own connection.
    assert team.sql("bob", "SELECT count(*) FROM span")[1] == [(0,)]
    assert team.sql("bob", "SELECT count(*) FROM document_status")[1] == [(0,)]
    assert team.sql("bob", "SELECT count(*) FROM span WHERE annotator_id = %s", (alice.id,))[1] == [(0,)]
    # He cannot write as Alice ...
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql(
            "bob",
            'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
            "VALUES (%s, %s, %s, 30, 35, now(), now())",
            (doc, alice.id, lab),
        )
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql(
            "bob",
            "INSERT INTO document_status (document_id, annotator_id, status, updated_at) "
            "VALUES (%s, %s, 'todo', now())",
            (doc, alice.id),
        )
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        bob_ws.annotations.add(doc, alice.id, lab, 30, 35)
    # ... nor change or remove her rows: they match nothing.
    assert team.sql("bob", "UPDATE span SET note = 'bob was here'")[0] == 0
    assert team.sql("bob", "DELETE FROM span")[0] == 0
    assert team.sql("bob", "UPDATE document_status SET status = 'todo'")[0] == 0
    assert team.sql("bob", "DELETE FROM document_status")[0] == 0
    # ... nor move his own span onto her.
    mine = bob_ws.annotations.add(doc, bob.id, lab, 0, 5)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql("bob", "UPDATE span SET annotator_id = %s WHERE id = %s", (alice.id, mine.id))
    assert [s.id for s in bob_ws.annotations.spans_for(doc, bob.id)] == [mine.id]

    rows = team.owner_sql("SELECT annotator_id, note FROM span ORDER BY id")
    assert rows == [(alice.id, "the president"), (alice.id, "who"), (bob.id, None)]
    assert team.owner_sql("SELECT annotator_id, status FROM document_status ORDER BY annotator_id") == [
        (alice.id, "done"),
        (bob.id, "in_progress"),
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_annotator_cannot_raise_their_role_or_impersonate(team: Team) -> None:
    import psycopg

    bob_ws = team.open("bob")
    bob = bob_ws.annotators.sign_in(team.roles["bob"])
    bob_role = team.roles["bob"]
    assert team.sql("bob", "UPDATE annotator SET role = 'supervisor' WHERE name = current_user")[0] == 0
    assert team.sql("bob", "UPDATE annotator SET name = 'x'")[0] == 0
    assert team.sql("bob", "DELETE FROM annotator")[0] == 0
    for name, role in [(bob_role + "2", "annotator"), ("carol", "annotator"), ("gold", "gold")]:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            team.sql("bob", "INSERT INTO annotator (name, role) VALUES (%s, %s)", (name, role))
    with pytest.raises(AnnotatorError, match="only the administrator changes roles"):
        bob_ws.annotators.sign_in(bob_role, "supervisor")
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        bob_ws.annotators.sign_in("carol")
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        bob_ws.review.gold()
    assert bob_ws.annotators.find(bob_role).role == "annotator"  # type: ignore[union-attr]
    assert bob_ws.annotators.sign_in(bob_role) == bob
    # Documents, labels and the schema version are the owner's and the supervisor's to change.
    assert team.sql("bob", "UPDATE document SET title = 'mine'")[0] == 0
    assert team.sql("bob", "DELETE FROM document")[0] == 0
    assert team.sql("bob", "UPDATE label SET name = name || '!'")[0] == 0
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        bob_ws.labels.create("bob's label")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.sql("bob", "UPDATE alembic_version SET version_num = '9999'")
    assert team.sql("bob", "SELECT version_num FROM alembic_version")[1] == [(HEAD_REVISION,)]
    # Everyone reads the shared tables.
    assert team.sql("bob", "SELECT count(*) FROM document")[1] == [(1,)]
    assert team.sql("bob", "SELECT count(*) FROM label")[1][0][0] >= 4


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_supervisor_reads_everything_and_writes_only_gold(team: Team, tmp_path: Path) -> None:
    import psycopg

    alice_ws, bob_ws, sam_ws = team.open("alice"), team.open("bob"), team.open("sam")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    bob = bob_ws.annotators.sign_in(team.roles["bob"])
    sam = sam_ws.annotators.sign_in(team.roles["sam"], "supervisor")
    assert sam.role == "supervisor"
    doc, lab = team.document_id, label_id(alice_ws)
    a1 = alice_ws.annotations.add(doc, alice.id, lab, 0, 5)
    alice_ws.annotations.add(doc, alice.id, lab, 10, 12)
    bob_ws.annotations.add(doc, bob.id, lab, 0, 5)
    alice_ws.documents.set_status(doc, alice.id, "done")
    bob_ws.documents.set_status(doc, bob.id, "done")

    # Every span and status, through the services and through SQL.
    assert len(sam_ws.annotations.spans_for(doc, alice.id)) == 2
    assert len(sam_ws.annotations.spans_for(doc, bob.id)) == 1
    assert sam_ws.documents.status_of(doc, alice.id) == "done"
    assert team.sql("sam", "SELECT count(*) FROM span")[1] == [(3,)]
    assert team.sql("sam", "SELECT count(*) FROM document_status")[1] == [(2,)]
    figures = sam_ws.review.agreement()
    assert figures  # computed over both annotators' spans
    [row] = sam_ws.review.ranked_documents()
    assert row.finished_by == tuple(sorted([team.roles["alice"], team.roles["bob"]]))
    assert row.disagreements == 1 and not row.reviewed
    comparison = sam_ws.review.compare(doc)
    assert set(comparison.spans) == {team.roles["alice"], team.roles["bob"]}

    # Adjudication into the gold layer.
    gold = sam_ws.review.gold()
    assert gold.role == "gold"
    g = sam_ws.annotations.add(doc, gold.id, lab, 0, 5)
    sam_ws.annotations.set_note(g.id, "agreed")
    sam_ws.documents.set_status(doc, gold.id, "done")
    assert sam_ws.review.gold() == gold
    [row] = sam_ws.review.ranked_documents()
    assert row.reviewed
    assert sam_ws.review.compare(doc).spans["gold"][0].note == "agreed"
    # Annotators do not see gold (nor each other).
    assert team.sql("alice", "SELECT count(*) FROM span")[1] == [(2,)]

    # The supervisor changes nobody else's work.
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        sam_ws.annotations.add(doc, alice.id, lab, 20, 25)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql(
            "sam",
            'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
            "VALUES (%s, %s, %s, 30, 35, now(), now())",
            (doc, alice.id, lab),
        )
    # Taking Alice's span into gold matches nothing; moving a gold span onto Alice is refused.
    assert team.sql("sam", "UPDATE span SET annotator_id = %s WHERE id = %s", (gold.id, a1.id))[0] == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql("sam", "UPDATE span SET annotator_id = %s WHERE id = %s", (alice.id, g.id))
    assert team.sql("sam", "UPDATE span SET note = 'x' WHERE annotator_id <> %s", (gold.id,))[0] == 0
    assert team.sql("sam", "DELETE FROM span WHERE annotator_id <> %s", (gold.id,))[0] == 0
    assert (
        team.sql("sam", "UPDATE document_status SET status = 'todo' WHERE annotator_id <> %s", (gold.id,))[0]
        == 0
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql(
            "sam",
            "INSERT INTO annotator (name, role) VALUES ('someone', 'supervisor')",
        )
    assert team.sql("sam", "UPDATE annotator SET role = 'annotator'")[0] == 0
    # but does the shared tables: labels (and documents).
    assert sam_ws.labels.create("sam's label").name == "sam's label"
    assert team.sql("sam", "UPDATE document SET title = 'Beijing talks'")[0] == 1
    more = tmp_path / "more.txt"
    more.write_text("Another text.", encoding="utf-8")
    assert sam_ws.importer.import_paths([more]).ok
    assert len(alice_ws.documents.list_for(alice.id)) == 2
    assert team.owner_sql("SELECT count(*) FROM span WHERE note IS NULL OR note = 'agreed'") == [(4,)]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_annotator_imports_their_own_spans_and_no_one_elses(team: Team, tmp_path: Path) -> None:
    """Row security applies to her role, so the import uses INSERTs (PostgreSQL refuses COPY then)."""
    import orjson

    alice_ws = team.open("alice")
    me = team.roles["alice"]
    alice_ws.annotators.sign_in(me)
    [doc] = team.owner.documents.list_for(0)
    uid = doc.uid
    label = alice_ws.labels.list()[0].name
    own = {
        "id": uid,
        "text": TEXT,
        "spans": [{"start": 0, "end": 5, "label": label, "annotator": me, "note": "n"}],
    }
    path = tmp_path / "alice.jsonl"
    path.write_bytes(orjson.dumps(own) + b"\n")
    result = alice_ws.importer.import_paths([path])
    assert result.ok, result.files[0].error
    assert (result.files[0].documents_merged, result.files[0].spans_added) == (1, 1)
    assert team.owner_sql("SELECT count(*) FROM span") == [(1,)]
    other = {
        "id": uid,
        "text": TEXT,
        "spans": [{"start": 6, "end": 9, "label": label, "annotator": team.roles["bob"]}],
    }
    path.write_bytes(orjson.dumps(own) + b"\n" + orjson.dumps(other) + b"\n")
    result = alice_ws.importer.import_paths([path])
    assert not result.ok
    assert "only your own annotations" in (result.files[0].error or "")
    assert team.owner_sql("SELECT count(*) FROM span") == [(1,)]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_role_without_an_annotator_row_sees_no_rows(team: Team) -> None:
    alice_ws = team.open("alice")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    alice_ws.annotations.add(team.document_id, alice.id, label_id(alice_ws), 0, 5)
    # Bob has not signed in yet: no annotator row carries his role name.
    assert team.sql("bob", "SELECT count(*) FROM span")[1] == [(0,)]
    assert team.sql("bob", "SELECT count(*) FROM annotator WHERE name = current_user")[1] == [(0,)]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_only_the_owner_upgrades(database_factory: Callable[[str], str]) -> None:
    """A team member starting a newer version on a not yet upgraded database changes nothing."""
    owner_url = database_factory("old")
    engine = create_engine(to_url(owner_url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")

    def version() -> str:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()

    try:
        with team_roles(owner_url, ("alice",)) as names:
            alice_url = role_url(owner_url, names["alice"])
            with pytest.raises(AnnotatorError, match="only its owner"):
                Workspace.open(alice_url)
            assert version() == "0002"
            Workspace.open(owner_url).close()
            assert version() == HEAD_REVISION
            ws = Workspace.open(alice_url)
            try:
                assert ws.annotators.sign_in(names["alice"]).role == "annotator"
            finally:
                ws.close()
    finally:
        engine.dispose()


def test_the_migration_changes_nothing_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "solo.db"
    ws = Workspace.open(str(path))
    try:
        alice = ws.annotators.sign_in("alice")
        ws.ensure_sample()
        [doc] = ws.documents.list_for(alice.id)
        ws.annotations.add(doc.id, alice.id, label_id(ws), 0, 5)
        with ws.db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD_REVISION
    finally:
        ws.close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM span")).scalar_one() == 1
    engine.dispose()
