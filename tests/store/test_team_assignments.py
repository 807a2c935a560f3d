"""Issue 13 on a team database, as real login roles: assignments are read only through the view
annotator_api.assignment (one's own rows, nothing about the others) and written only by
supervisors and the owner, through migration 0008's function; plain SQL gets no further."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError
from tests.store.team import Team, make_team

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgresql"], indirect=True)]


@pytest.fixture
def team(database_factory: Callable[[str], str], tmp_path: Path) -> Iterator[Team]:
    yield from make_team(database_factory, tmp_path)


def planned(team: Team) -> tuple[int, int, int]:
    """Everyone signs in; the owner adds two more documents; sam (supervisor) assigns all three
    to alice and bob by rule, one in the agreement sample. Returns (alice, bob, sam) ids."""
    ids = tuple(team.open(w).annotators.sign_in(team.roles[w]).id for w in ("alice", "bob", "sam"))
    for i in range(2):
        team.owner_sql(
            "INSERT INTO document (uid, title, text, sha256, meta, position, length, created_at) "
            "VALUES (:u, 'more', 'More text here.', '', '{}', :p, 15, now())",
            {"u": f"more-{i}", "p": i + 1},
        )
    sam_ws = team.opened[-1]
    summary = sam_ws.assignments.assign_by_rule(
        by=None, annotators=[team.roles["alice"], team.roles["bob"]], n=1, sample_percent=34, seed=1
    )
    assert summary.rows == 4 and summary.sample == 1
    return ids  # type: ignore[return-value]


def test_an_annotator_reads_only_their_own_assignments(team: Team) -> None:
    import psycopg

    alice, bob, _sam = planned(team)
    all_rows = team.owner_sql("SELECT document_id, annotator_id, sample FROM assignment")
    assert len(all_rows) == 4
    # Through the app: only her queue; nothing of bob's.
    alice_ws = team.opened[0]
    mine = alice_ws.assignments.all_rows()
    assert mine and {a for _d, a, _p, _b, _s in mine} == {alice}
    assert alice_ws.assignments.queue(bob) == []
    # Through plain SQL: the table is closed; the view and the function give only her rows,
    # without the row id, the batch or the sample flag (which would say someone else has it).
    for statement in (
        "SELECT * FROM assignment",
        "SELECT count(*) FROM public.assignment",
        "SELECT * FROM span_tally",  # everyone's span counts: through annotator_span_activity() only
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            team.sql("alice", statement)
    _n, rows = team.sql("alice", "SELECT id, annotator_id, batch, sample FROM annotator_api.assignment")
    assert rows and all(r == (None, alice, "", False) for r in rows)
    _n, rows = team.sql(
        "alice", "SELECT count(*) FROM annotator_api.assignment WHERE annotator_id = %s", (bob,)
    )
    assert rows == [(0,)]
    _n, rows = team.sql("alice", "SELECT count(*) FROM annotator_visible_assignments()")
    assert rows == [(len(mine),)]
    # The sample document is in both queues, yet alice's row does not say so.
    sample_doc = next(d for d, _a, s in all_rows if s)
    assert (sample_doc, alice, True) in all_rows and (sample_doc, bob, True) in all_rows
    assert all(not s for _d, _a, _p, _b, s in mine)


def test_only_supervisors_and_the_owner_write_assignments(team: Team) -> None:
    import psycopg

    alice, _bob, sam = planned(team)
    alice_ws = team.opened[0]
    with pytest.raises(AnnotatorError, match="only a supervisor assigns documents"):
        alice_ws.assignments.assign_by_rule(by=None, n=1)
    with pytest.raises(AnnotatorError, match="only a supervisor assigns documents"):
        alice_ws.assignments.clear(by=team.roles["sam"])  # naming a supervisor changes nothing
    before = team.owner_sql("SELECT document_id, annotator_id, position FROM assignment ORDER BY 1, 2")
    for statement, params in (
        (
            "SELECT annotator_write_assignments('[]', %s::jsonb)",
            (f'[[{team.document_id}, {alice}, 0, "x", false]]',),
        ),
        ("SELECT annotator_write_assignments(%s::jsonb, '[]')", (f"[[{team.document_id}, {alice}]]",)),
        (
            "INSERT INTO assignment (document_id, annotator_id, position, created_at) VALUES (1, 1, 0, now())",
            (),
        ),
        ("DELETE FROM assignment", ()),
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            team.sql("alice", statement, params)
    assert (
        team.owner_sql("SELECT document_id, annotator_id, position FROM assignment ORDER BY 1, 2") == before
    )
    # The supervisor (a team member) writes through the function; the owner directly or by it.
    sam_ws = team.opened[2]
    removed, kept = sam_ws.assignments.clear(by=None)
    assert (removed, kept) == (4, 0)
    sam_ws.assignments.assign_by_hand(by=None, documents=[team.document_id], annotators=[team.roles["alice"]])
    assert alice_ws.assignments.queue(alice) == [team.document_id]
    assert team.owner.assignments.all_rows()[0][:2] == (team.document_id, alice)
    assert sam not in {a for _d, a, *_r in team.owner.assignments.all_rows()}


def test_replanning_on_the_team_database_keeps_an_annotators_work(team: Team) -> None:
    alice, _bob, _sam = planned(team)
    alice_ws, sam_ws = team.opened[0], team.opened[2]
    doc = alice_ws.assignments.queue(alice)[0]
    label = alice_ws.labels.list()[0].id
    alice_ws.annotations.add(doc, alice, label, 0, 4)
    summary = sam_ws.assignments.assign_by_rule(by=None, annotators=[team.roles["bob"]], n=1, seed=5)
    assert summary.kept == 1
    assert alice_ws.assignments.queue(alice) == [doc]
    progress = sam_ws.progress.team_progress()
    mine = next(p for p in progress.people if p.name == team.roles["alice"])
    assert (mine.assigned, mine.in_progress, mine.spans) == (1, 1, 1)


def test_the_aggregate_functions_show_an_annotator_only_her_own_spans(team: Team) -> None:
    alice, bob, _sam = planned(team)
    alice_ws, bob_ws, sam_ws = team.opened
    label = alice_ws.labels.list()[0].id
    alice_ws.annotations.add(team.document_id, alice, label, 0, 4)
    bob_ws.annotations.add(team.document_id, bob, label, 0, 5)
    for sql in (
        "SELECT DISTINCT annotator_id FROM annotator_span_activity()",
        "SELECT DISTINCT annotator_id FROM annotator_spans_of_documents(ARRAY[%s]::integer[])",
    ):
        params = (team.document_id,) if "%s" in sql else ()
        assert team.sql("alice", sql, params)[1] == [(alice,)]
        assert sorted(team.sql("sam", sql, params)[1]) == sorted([(alice,), (bob,)])
    # The supervisor's Team view figures go through them: both annotators' spans counted.
    people = {p.name: p.spans for p in sam_ws.progress.team_progress().people}
    assert people == {team.roles["alice"]: 1, team.roles["bob"]: 1}


def test_a_supervisor_assigns_and_unassigns_by_hand_on_the_team_database(team: Team) -> None:
    """The Assign dialog's path (holdings, change_by_hand) as team members: sam, a supervisor,
    moves a document alice worked on to bob; alice's work stays; alice may do neither."""
    alice, bob, _sam = planned(team)
    alice_ws, bob_ws, sam_ws = team.opened
    docs = sorted(d for d, *_r in team.owner.assignments.all_rows())
    mine = alice_ws.assignments.queue(alice)
    label = alice_ws.labels.list()[0].id
    alice_ws.annotations.add(mine[0], alice, label, 0, 4)
    with pytest.raises(AnnotatorError, match="only a supervisor"):
        alice_ws.assignments.holdings(docs, by=None)
    with pytest.raises(AnnotatorError, match="only a supervisor assigns documents"):
        alice_ws.assignments.change_by_hand(by=None, documents=docs, add=[team.roles["alice"]], remove=[])
    held = {h.name: (h.assigned, h.worked) for h in sam_ws.assignments.holdings([mine[0]], by=None)}
    assert held[team.roles["alice"]] == (1, 1)
    bob_had = mine[0] in team.owner.assignments.queue(bob)  # (the sample document is everyone's)
    added, removed = sam_ws.assignments.change_by_hand(
        by=None, documents=[mine[0]], add=[team.roles["bob"]], remove=[team.roles["alice"]]
    )
    assert (added, removed) == (0 if bob_had else 1, 1)
    assert mine[0] not in alice_ws.assignments.queue(alice)
    assert mine[0] in bob_ws.assignments.queue(bob)
    assert [s.start for s in alice_ws.annotations.spans_for(mine[0], alice)] == [0]  # her work stays
    held = {h.name: (h.assigned, h.worked) for h in sam_ws.assignments.holdings([mine[0]], by=None)}
    assert held[team.roles["alice"]] == (0, 1) and held[team.roles["bob"]][0] == 1
    # alice still reads only her own rows (bob's new one is not among them).
    assert {a for _d, a, *_r in alice_ws.assignments.all_rows()} <= {alice}


def test_a_plan_naming_a_missing_document_stores_nothing_and_leaves_the_triggers_on(team: Team) -> None:
    """Migration 0010 checks the references once per plan (the triggers off for its insert only):
    a missing document is refused with the foreign-key error, and nothing of the plan is kept."""
    import psycopg

    alice, _bob, _sam = planned(team)
    before = team.owner_sql("SELECT document_id, annotator_id, position FROM assignment ORDER BY 1, 2")
    for who in ("sam", "owner"):
        added = f'[[{team.document_id}, {alice}, 7, "x", false], [999999, {alice}, 8, "x", false]]'
        if who == "owner":
            with pytest.raises(Exception, match="assignment_document_id_fkey"):
                team.owner_sql("SELECT annotator_write_assignments('[]', CAST(:a AS jsonb))", {"a": added})
        else:
            with pytest.raises(psycopg.errors.ForeignKeyViolation, match="assignment_document_id_fkey"):
                team.sql("sam", "SELECT annotator_write_assignments('[]', %s::jsonb)", (added,))
    assert (
        team.owner_sql("SELECT document_id, annotator_id, position FROM assignment ORDER BY 1, 2") == before
    )
    # A good plan goes through, and the same transaction has its triggers back afterwards.
    _n, rows = team.sql(
        "sam",
        "SELECT annotator_write_assignments('[]', %s::jsonb), current_setting('session_replication_role')",
        (f'[[{team.document_id}, {alice}, 7, "x", false]]',),
    )
    assert rows == [(1, "origin")]
