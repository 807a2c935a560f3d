"""Who reads and writes what on a team's PostgreSQL database (migrations 0003 and 0005,
docs/team-setup.md).

Each person connects as their own login role, set up with the GRANTs of docs/team-setup.md; the
checks go through the app's services and through plain SQL on the same role's connection, since the
database, not the app, is what keeps one annotator's spans from another. Team members have no
privileges on the span and status tables: they read the views of annotator_api and write through
functions (migration 0005).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace
from annotator.store.migrations.runner import HEAD_REVISION
from tests.store.older_release import at_revision
from tests.store.team import OLD_TEAM_SQL, TEXT, Team, label_id, make_team, role_url, team_roles


@pytest.fixture
def team(database_factory: Callable[[str], str], tmp_path: Path) -> Iterator[Team]:
    yield from make_team(database_factory, tmp_path)


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
    # Undo restores a span, under an id the database chooses (no id can be given on a team).
    restored = alice_ws.annotations.add(doc, alice.id, lab, 15, 22, span_id=third.id)
    assert (restored.start, restored.end) == (15, 22) and restored.id != third.id
    alice_ws.annotations.delete(restored.id)
    alice_ws.documents.set_status(doc, alice.id, "done")
    assert alice_ws.documents.status_of(doc, alice.id) == "done"
    assert len(alice_ws.annotations.spans_for(doc, alice.id)) == 2
    with pytest.raises(AnnotatorError, match="already has a span with that label"):
        alice_ws.annotations.add(doc, alice.id, lab, 0, 5)
    with pytest.raises(AnnotatorError, match="already has a span with that label"):
        alice_ws.annotations.add(doc, alice.id, lab + 1, 10, 12)  # the relabelled second span
    [summary] = alice_ws.documents.list_for(alice.id)
    assert (summary.status, summary.span_count) == ("done", 2)

    # Bob sees none of it, through the services ...
    assert bob_ws.annotations.spans_for(doc, alice.id) == []
    [summary] = bob_ws.documents.list_for(alice.id)
    assert (summary.status, summary.span_count) == ("todo", 0)
    assert bob_ws.documents.status_of(doc, alice.id) == "todo"
    # ... nor with plain SQL on his own connection: the tables are not his to query at all, the
    # views show his rows only.
    import psycopg

    for table in ("span", "document_status"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            team.sql("bob", f"SELECT count(*) FROM {table}")
        assert team.sql("bob", f"SELECT count(*) FROM annotator_api.{table}")[1] == [(0,)]
    assert team.sql("bob", "SELECT count(*) FROM annotator_api.span WHERE annotator_id = %s", (alice.id,))[
        1
    ] == [(0,)]
    # He cannot write as Alice, neither into the tables ...
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        team.sql(
            "bob",
            'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
            "VALUES (%s, %s, %s, 30, 35, now(), now())",
            (doc, alice.id, lab),
        )
    # ... nor through the functions ...
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only your own annotations"):
        team.sql("bob", "SELECT annotator_add_span(%s, %s, %s, 30, 35, NULL)", (doc, alice.id, lab))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only your own annotations"):
        team.sql("bob", "SELECT annotator_set_status(%s, %s, 'todo', false)", (doc, alice.id))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only your own annotations"):
        team.sql(
            "bob",
            "SELECT annotator_import_spans(%s::jsonb)",
            (f"[[{doc}, {alice.id}, {lab}, 30, 35, null]]",),
        )
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        bob_ws.annotations.add(doc, alice.id, lab, 30, 35)
    # ... nor change or remove her spans: to him they do not exist, like an id nobody has.
    for call in ("annotator_update_span(%s, NULL, 'bob was here', true)", "annotator_delete_span(%s)"):
        for span_id in (first.id, 10**6):
            with pytest.raises(psycopg.errors.NoDataFound, match=f"span {span_id} no longer exists"):
                team.sql("bob", f"SELECT {call}", (span_id,))
    with pytest.raises(AnnotatorError, match=f"span {first.id} no longer exists"):
        bob_ws.annotations.delete(first.id)
    mine = bob_ws.annotations.add(doc, bob.id, lab, 0, 5)
    assert [s.id for s in bob_ws.annotations.spans_for(doc, bob.id)] == [mine.id]
    assert team.sql("bob", "SELECT count(*) FROM annotator_api.span")[1] == [(1,)]

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
    for statement in (
        "UPDATE annotator SET role = 'supervisor' WHERE name = current_user",
        "UPDATE annotator SET name = 'x'",
        "DELETE FROM annotator",
        "INSERT INTO annotator (name, role) VALUES ('carol', 'annotator')",
        "INSERT INTO annotator (name, role) VALUES (current_user, 'annotator')",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            team.sql("bob", statement)
    for name in (bob_role + "2", "carol", "gold"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only your own annotations"):
            team.sql("bob", "SELECT annotator_sign_up(%s)", (name,))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only your own annotations"):
        team.sql("bob", "SELECT annotator_gold()")
    with pytest.raises(AnnotatorError, match="registered as annotator; only a supervisor grants"):
        bob_ws.annotators.sign_in(bob_role, "supervisor")
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        bob_ws.annotators.sign_in("carol")
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        bob_ws.review.gold()
    assert bob_ws.annotators.find(bob_role).role == "annotator"  # type: ignore[union-attr]
    assert bob_ws.annotators.sign_in(bob_role) == bob
    # Documents, labels and the schema version are the owner's and the supervisor's to change.
    for statement in (
        "UPDATE document SET title = 'mine'",
        "DELETE FROM document",
        "UPDATE label SET name = name || '!'",
        "LOCK TABLE document IN EXCLUSIVE MODE",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            team.sql("bob", statement)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only a supervisor"):
        team.sql("bob", "SELECT annotator_save_label(NULL, 'x', '#ffffff', NULL, '', 9, false)")
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
    assert team.sql("sam", "SELECT count(*) FROM annotator_api.span")[1] == [(3,)]
    assert team.sql("sam", "SELECT count(*) FROM annotator_api.document_status")[1] == [(2,)]
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
    # Exports: each reads what they may see.
    from annotator.services.exporting import ExportFilter

    [record] = sam_ws.exporter.records(ExportFilter())
    assert sorted(s.annotator for s in record.spans) == sorted(
        [team.roles["alice"]] * 2 + [team.roles["bob"]]
    )
    [record] = alice_ws.exporter.records(ExportFilter())
    assert [s.annotator for s in record.spans] == [team.roles["alice"]] * 2
    assert record.status == {team.roles["alice"]: "done"}
    [record] = sam_ws.exporter.records(ExportFilter(gold=True))
    assert [(s.annotator, s.note) for s in record.spans] == [("gold", "agreed")]
    assert sam_ws.review.compare(doc).spans["gold"][0].note == "agreed"
    # Annotators do not see gold (nor each other).
    assert team.sql("alice", "SELECT count(*) FROM annotator_api.span")[1] == [(2,)]

    # The supervisor changes nobody else's work.
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        sam_ws.annotations.add(doc, alice.id, lab, 20, 25)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only your own annotations"):
        team.sql("sam", "SELECT annotator_add_span(%s, %s, %s, 30, 35, NULL)", (doc, alice.id, lab))
    # Alice's spans he sees but cannot change or take into gold; gold spans stay gold.
    for call in ("annotator_update_span(%s, NULL, 'x', true)", "annotator_delete_span(%s)"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only your own annotations"):
            team.sql("sam", f"SELECT {call}", (a1.id,))
    with pytest.raises(AnnotatorError, match="only your own annotations"):
        sam_ws.annotations.set_note(a1.id, "x")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only your own annotations"):
        team.sql("sam", "SELECT annotator_set_status(%s, %s, 'todo', false)", (doc, alice.id))
    for statement in (
        "UPDATE span SET note = 'x'",
        "DELETE FROM span",
        "UPDATE document_status SET status = 'todo'",
        "INSERT INTO annotator (name, role) VALUES ('someone', 'supervisor')",
        "UPDATE annotator SET role = 'annotator'",
        "UPDATE document SET title = 'Beijing talks'",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            team.sql("sam", statement)
    # but does the shared tables: labels (and documents).
    made = sam_ws.labels.create("sam's label")
    assert made.name == "sam's label"
    assert sam_ws.labels.update(made.id, color="#123456", hotkey="z").color == "#123456"
    sam_ws.labels.reorder(
        [made.id] + [x.id for x in sam_ws.labels.list(include_archived=True) if x.id != made.id]
    )
    assert sam_ws.labels.set_archived(made.id, True).archived
    assert team.owner.labels.list(include_archived=True)[0] == sam_ws.labels.by_name("sam's label")
    more = tmp_path / "more.txt"
    more.write_text("Another text.", encoding="utf-8")
    assert sam_ws.importer.import_paths([more]).ok
    import hashlib

    assert team.owner_sql("SELECT sha256, length FROM document WHERE text = 'Another text.'") == [
        (hashlib.sha256(b"Another text.").hexdigest(), 13)
    ]
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
    assert team.sql("bob", "SELECT count(*) FROM annotator_api.span")[1] == [(0,)]
    assert team.sql("bob", "SELECT count(*) FROM annotator WHERE name = current_user")[1] == [(0,)]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_only_the_owner_upgrades(database_factory: Callable[[str], str]) -> None:
    """A team member starting a newer version on a not yet upgraded database changes nothing."""
    owner_url = database_factory("old")
    with at_revision(owner_url, "0002") as (engine, _):
        pass  # release 0002's schema, with nothing in it

    def version() -> str:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()

    try:
        with team_roles(owner_url, ("alice",), grants=OLD_TEAM_SQL) as names:
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
