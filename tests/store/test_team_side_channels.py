"""Side channels on a team's PostgreSQL database (issue 15), each tried as a real login role set up
exactly as docs/team-setup.md says, with plain SQL on that role's own connection.

What the database closes (migration 0005) is asserted closed; what PostgreSQL cannot close for a
role that may connect at all (table statistics, pg_stat_activity, NOTIFY) is asserted still open
and named in docs/team-setup.md, so the docs cannot quietly stop saying so.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

from annotator.domain.errors import AnnotatorError
from annotator.store import bulk
from tests.conftest import psycopg_connect
from tests.store.team import TEXT, Team, group_of, label_id, make_team

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgresql"], indirect=True)]
DOCS = Path(__file__).parents[2] / "docs" / "team-setup.md"


@pytest.fixture
def team(database_factory: Callable[[str], str], tmp_path: Path) -> Iterator[Team]:
    yield from make_team(database_factory, tmp_path)


@pytest.fixture
def bob_has_work(team: Team) -> tuple[int, int, int]:
    """Bob's span (document, label 0, 10-12) and status; Alice is signed in with no spans.
    Returns (bob's annotator id, bob's span id, label id)."""
    bob_ws = team.open("bob")
    bob = bob_ws.annotators.sign_in(team.roles["bob"])
    team.open("alice").annotators.sign_in(team.roles["alice"])
    lab = label_id(bob_ws)
    span = bob_ws.annotations.add(team.document_id, bob.id, lab, 10, 12)
    bob_ws.documents.set_status(team.document_id, bob.id, "done")
    team.owner_sql("ANALYZE")
    return bob.id, span.id, lab


def denied(team: Team, who: str, statement: str, params: tuple[object, ...] = ()) -> bool:
    """Whether the role may not run this at all (no privilege, or no such relation to it)."""
    import psycopg

    try:
        team.sql(who, statement, params)
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedTable):
        return True
    return False


def plan_figures(team: Team, who: str, query: str) -> list[str]:
    """The numbers EXPLAIN ANALYZE reports that depend on rows (actual rows, rows removed)."""
    import psycopg

    with psycopg_connect(team.urls[who]) as conn, conn.transaction():
        conn.execute("SET enable_seqscan = off")
        conn.execute("SET enable_bitmapscan = off")
        try:
            lines = [row[0] for row in conn.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {query}")]
        except psycopg.errors.InsufficientPrivilege:
            return ["permission denied"]
    return [m for line in lines for m in re.findall(r"(?:actual rows|Rows Removed by \w+)[=:] ?\d+", line)]


def test_the_planner_tells_nothing_of_hidden_spans(team: Team, bob_has_work: tuple[int, int, int]) -> None:
    """Issue 15, 1: EXPLAIN ANALYZE as Alice counted Bob's span in 'Rows Removed by Filter'."""
    bob_id, _, lab = bob_has_work
    doc = team.document_id
    for relation in ("span", "annotator_api.span"):
        probe = f'SELECT 1 FROM {relation} WHERE document_id = {doc} AND annotator_id = %s AND label_id = {lab} AND start = 10 AND "end" = 12'
        there = plan_figures(team, "alice", probe % bob_id)  # Bob's span
        nothing = plan_figures(team, "alice", probe % 10**6)  # nobody's
        assert there == nothing, f"{relation}: {there} != {nothing}"
    assert denied(team, "alice", "SELECT 1 FROM span")
    assert denied(team, "alice", "SELECT 1 FROM document_status")
    # The supervisor sees Bob's span, so may learn of it: the control that the probe works.
    assert plan_figures(team, "sam", "SELECT 1 FROM annotator_api.span WHERE start = 10") != plan_figures(
        team, "sam", "SELECT 1 FROM annotator_api.span WHERE start = 11"
    )


def test_the_sequences_and_column_statistics_are_closed(
    team: Team, bob_has_work: tuple[int, int, int]
) -> None:
    """Issue 15, 1: span_id_seq.last_value counted everyone's spans; pg_stats showed their values."""
    for sequence in ("span_id_seq", "document_id_seq"):
        assert denied(team, "alice", f"SELECT last_value FROM {sequence}")
        assert denied(team, "alice", f"SELECT nextval('{sequence}')")
    for table in ("span", "document_status"):
        rows = team.sql(
            "alice", "SELECT most_common_vals::text FROM pg_stats WHERE tablename = %s", (table,)
        )[1]
        assert rows == []
    assert team.owner_sql("SELECT count(*) FROM pg_stats WHERE tablename = 'span'")[0][0] > 0  # the control


def test_ids_cannot_be_chosen_so_hidden_ids_are_never_confirmed(
    team: Team, bob_has_work: tuple[int, int, int]
) -> None:
    """Issue 15, 1: inserting a span under a chosen id failed with 'duplicate key' exactly when
    someone had that id. Now no statement Alice can run takes an id to insert, and changing or
    deleting by id answers the same for a hidden span as for an id nobody has."""
    import psycopg

    alice_id = team.owner_sql("SELECT id FROM annotator WHERE name = :n", {"n": team.roles["alice"]})[0][0]
    _, bob_span, lab = bob_has_work
    answers = []
    for span_id in (bob_span, bob_span + 1000):
        insert = (
            'INSERT INTO span (id, document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
            "VALUES (%s, %s, %s, %s, 0, 1, now(), now())"
        )
        for statement, params in [
            (insert, (span_id, team.document_id, alice_id, lab)),
            ("SELECT annotator_update_span(%s, NULL, 'x', true)", (span_id,)),
            ("SELECT annotator_delete_span(%s)", (span_id,)),
        ]:
            try:
                team.sql("alice", statement, params)
                answers.append("ok")
            except psycopg.Error as exc:
                answers.append(f"{type(exc).__name__}: {str(exc).replace(str(span_id), 'N')}")
    assert answers[:3] == answers[3:]
    assert not any("duplicate" in a for a in answers)


def test_an_annotator_cannot_listen_for_others_work(team: Team, bob_has_work: tuple[int, int, int]) -> None:
    """Issue 15, 1: LISTEN annotator_changes told Alice when Bob edited. The supervisor's window
    still hears of it (the control), on a channel of its own."""
    import psycopg

    bob_id, _, lab = bob_has_work
    sam_ws = team.open("sam")
    sam_ws.annotators.sign_in(team.roles["sam"], "supervisor")
    listener = sam_ws.review.change_listener()
    assert listener is not None
    with psycopg_connect(team.urls["alice"]) as alice:
        alice.execute("LISTEN annotator_changes")
        team.opened[0].annotations.add(team.document_id, bob_id, lab, 0, 5)  # Bob edits
        assert list(alice.notifies(timeout=1.0)) == []
        assert listener.drain() >= 1
        # Nor can she get a channel of her own, or learn the supervisor's.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only supervisors"):
            alice.execute("SELECT annotator_listen()")
        assert denied(team, "alice", "SELECT channel FROM annotator_listener")
        queries = [q for (q,) in alice.execute("SELECT coalesce(query, '') FROM pg_stat_activity")]
        assert not any(listener.channel in q for q in queries)
    listener.close()


def test_a_group_role_cannot_be_an_annotator(team: Team) -> None:
    """Issue 15, 2: SET ROLE to the team's group and registering it gave members a shared identity."""
    import psycopg

    alice_ws = team.open("alice")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    group = group_of(team.roles["alice"])
    with psycopg_connect(team.urls["alice"]) as conn:
        conn.execute(f"SET ROLE {group}")
        for statement in (
            "INSERT INTO annotator (name, role) VALUES (current_user, 'annotator')",
            "SELECT annotator_sign_up(current_user::text)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(statement)
        # Who she is does not change with SET ROLE: the login role's row.
        assert conn.execute("SELECT annotator_current_id()").fetchone() == (alice.id,)
    assert team.owner_sql("SELECT count(*) FROM annotator WHERE name = :g", {"g": group}) == [(0,)]
    # A row named after the group (the owner's mistake) still gives nobody its identity.
    team.owner_sql("INSERT INTO annotator (name, role) VALUES (:g, 'supervisor')", {"g": group})
    with psycopg_connect(team.urls["alice"]) as conn:
        conn.execute(f"SET ROLE {group}")
        assert conn.execute("SELECT annotator_current_id(), annotator_is_supervisor()").fetchone() == (
            alice.id,
            False,
        )


def test_members_cannot_lock_the_tables_or_keep_imports_waiting(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15, 3: a member's LOCK TABLE span or held import advisory lock made the owner's
    import (and others' exports) wait for ever."""
    import psycopg

    for table in ("span", "document_status", "document", "label", "annotator"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team.sql("alice", f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    source = tmp_path / "more.txt"
    source.write_text("Another text.", encoding="utf-8")
    with psycopg_connect(team.urls["alice"]) as alice, alice.transaction():
        alice.execute("SELECT pg_advisory_lock(1634627183)")  # the import lock's key up to 0004
        assert alice.execute("SELECT annotator_lock_imports()").fetchone() == (False,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.execute("LOCK TABLE annotator_import_lock")
        done: list[bool] = []
        thread = threading.Thread(target=lambda: done.append(team.owner.importer.import_paths([source]).ok))
        thread.start()
        thread.join(timeout=20)
        assert done == [True]
    # A supervisor can hold the turn (his own imports need it), but the owner's import then
    # gives up with who holds it, instead of waiting for ever.
    monkeypatch.setattr(bulk, "IMPORT_LOCK_WAIT_S", 0.5)
    source.write_text("A third text.", encoding="utf-8")
    with psycopg_connect(team.urls["sam"]) as sam, sam.transaction():
        assert sam.execute("SELECT annotator_lock_imports()").fetchone() == (True,)
        pid = sam.info.backend_pid
        result = team.owner.importer.import_paths([source])
    assert not result.ok
    error = result.files[0].error or ""
    assert f"holds the import lock (pid {pid}, role {team.roles['sam']}" in error
    assert "nothing was imported" in error
    assert team.owner.documents.count() == 2
    assert team.owner.importer.import_paths([source]).ok  # once he lets go


def test_documents_are_immutable_and_only_the_owner_deletes_one(team: Team) -> None:
    """Issue 15, 4: a supervisor's DELETE FROM document cascaded to annotators' spans, and UPDATE
    document SET text left offsets pointing past the text."""
    import psycopg

    alice_ws = team.open("alice")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    alice_ws.annotations.add(team.document_id, alice.id, label_id(alice_ws), 0, 5)
    for statement in ("DELETE FROM document", "UPDATE document SET text = 'x', length = 1"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team.sql("sam", statement)
    # Even a role someone granted UPDATE and DELETE on documents meets the trigger.
    team.owner_sql(f"GRANT UPDATE, DELETE ON document TO {team.roles['sam']}")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only the owner deletes"):
        team.sql("sam", "DELETE FROM document")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="fixed once imported"):
        team.sql("sam", "UPDATE document SET text = 'x', sha256 = 'x', length = 1")
    assert team.sql("sam", "UPDATE document SET title = 'Talks'")[0] == 1  # the title may change
    with pytest.raises(AnnotatorError, match="only the database's owner"):
        team.open("sam").documents.delete(team.owner.documents.get(team.document_id).uid)
    assert team.owner_sql("SELECT count(*) FROM span") == [(1,)]
    # The owner deletes it, and is told whose spans went with it.
    deleted = team.owner.documents.delete(team.owner.documents.get(team.document_id).uid)
    assert deleted.spans == {team.roles["alice"]: 1}
    assert f"1 spans: 1 of {team.roles['alice']}" in deleted.summary()
    assert team.owner_sql("SELECT count(*) FROM span") == [(0,)]


def test_an_import_that_would_skip_a_row_is_refused(team: Team, tmp_path: Path) -> None:
    """Issue 15, 5: a supervisor's import advancing Alice's status exited 0 while row security
    skipped the update."""
    alice_ws = team.open("alice")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    alice_ws.annotations.add(team.document_id, alice.id, label_id(alice_ws), 0, 5)  # in_progress
    sam_ws = team.open("sam")
    sam_ws.annotators.sign_in(team.roles["sam"], "supervisor")
    uid = team.owner.documents.get(team.document_id).uid
    path = tmp_path / "statuses.jsonl"
    path.write_bytes(orjson.dumps({"id": uid, "text": TEXT, "status": {team.roles["alice"]: "done"}}) + b"\n")
    result = sam_ws.importer.import_paths([path])
    assert not result.ok
    assert "only your own annotations" in (result.files[0].error or "")
    assert team.owner.documents.status_of(team.document_id, alice.id) == "in_progress"
    from annotator.cli import main

    assert main(["--db", team.urls["sam"], "import", str(path)]) == 1
    # The supervisor's own and the gold layer's statuses are his to import.
    path.write_bytes(orjson.dumps({"id": uid, "text": TEXT, "status": {"gold": "done"}}) + b"\n")
    assert sam_ws.importer.import_paths([path]).ok
    gold = sam_ws.review.gold()
    assert team.owner.documents.status_of(team.document_id, gold.id) == "done"


def test_what_cannot_be_closed_is_named_in_the_docs(team: Team, bob_has_work: tuple[int, int, int]) -> None:
    """Table statistics, other sessions' existence and NOTIFY stay open to every role that may
    connect (PostgreSQL grants them to PUBLIC); the docs must say so, and what an admin can do."""
    bob_id = bob_has_work[0]
    assert team.sql("alice", "SELECT reltuples FROM pg_class WHERE relname = 'span'")[1][0][0] >= 1
    live = team.sql("alice", "SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'span'")[1]
    assert live and live[0][0] is not None
    names = [n for (n,) in team.sql("alice", "SELECT usename FROM pg_stat_activity")[1]]
    assert team.roles["alice"] in names
    team.sql("alice", "NOTIFY annotator_changes, 'forged'")  # no privilege can forbid it
    docs = DOCS.read_text(encoding="utf-8")
    section = docs[docs.index("## What the database enforces, and what it cannot") :]
    for channel in ("reltuples", "pg_stat_user_tables", "pg_stat_activity", "NOTIFY", "timing"):
        assert channel.lower() in section.lower(), channel
    assert "separate database" in section
    assert bob_id
