"""Issue 13, roles on a team database: real login roles. The role stays the database's to
enforce: an annotator cannot grant it, through the app, the functions or plain SQL; a supervisor
can, through revision 0008's function (annotator_grant_role), and so can the owner; the views
then show the new supervisor all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.domain.errors import AnnotatorError
from tests.store.team import Team, label_id, make_team


@pytest.fixture
def team(database_factory: Callable[[str], str], tmp_path: Path) -> Iterator[Team]:
    yield from make_team(database_factory, tmp_path)


pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgresql"], indirect=True)]


def stored_roles(team: Team) -> dict[str, str]:
    return dict(team.owner_sql("SELECT name, role FROM annotator"))


def test_a_member_cannot_make_themselves_supervisor(team: Team) -> None:
    import psycopg

    bob_ws = team.open("bob")
    bob_name = team.roles["bob"]
    assert bob_ws.annotators.newcomer_role() == "annotator"
    # A member always signs up as an annotator; asking for more is refused.
    assert bob_ws.annotators.sign_in(bob_name).role == "annotator"
    with pytest.raises(AnnotatorError, match="registered as annotator; only a supervisor grants"):
        bob_ws.annotators.sign_in(bob_name, "supervisor")
    with pytest.raises(AnnotatorError, match="permission denied: only a supervisor grants or revokes roles"):
        bob_ws.annotators.grant(bob_name, "supervisor", by=team.roles["sam"])  # by: not who one is
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only a supervisor grants"):
        team.sql("bob", "SELECT * FROM annotator_grant_role(%s, 'supervisor')", (bob_name,))
    # Around the app: the functions register only a plain annotator, and the table is closed.
    [(row,)] = team.sql("bob", "SELECT role FROM annotator_sign_up(%s)", (bob_name,))[1]
    assert row == "annotator"
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        team.sql("bob", "UPDATE annotator SET role = 'supervisor' WHERE name = session_user")
    assert team.sql("bob", "SELECT annotator_is_supervisor()")[1] == [(False,)]
    assert stored_roles(team)[bob_name] == "annotator"


def test_a_team_supervisor_grants_and_revokes_through_the_function(team: Team) -> None:
    alice_ws, sam_ws = team.open("alice"), team.open("sam")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    sam_ws.annotators.sign_in(team.roles["sam"], "supervisor")
    alice_ws.annotations.add(team.document_id, alice.id, label_id(alice_ws), 0, 5)
    bob_ws = team.open("bob")
    bob = bob_ws.annotators.sign_in(team.roles["bob"])
    assert bob_ws.annotations.spans_for(team.document_id, alice.id) == []  # blind
    # The only supervisor cannot step down; the gold layer and strangers have no role to change.
    with pytest.raises(AnnotatorError, match="is the only supervisor"):
        sam_ws.annotators.grant(team.roles["sam"], "annotator", by=None)
    with pytest.raises(AnnotatorError, match="no annotator named 'nobody'"):
        sam_ws.annotators.grant("nobody", "supervisor", by=None)
    assert sam_ws.annotators.grant(team.roles["bob"], "supervisor", by=None).role == "supervisor"
    assert stored_roles(team)[team.roles["bob"]] == "supervisor"
    assert bob_ws.annotators.sign_in(team.roles["bob"]).role == "supervisor"
    assert len(bob_ws.annotations.spans_for(team.document_id, alice.id)) == 1  # the views follow at once
    assert bob.id == bob_ws.annotators.find(team.roles["bob"]).id
    # Now bob revokes sam (two supervisors: one may go), and sam can no longer grant.
    assert bob_ws.annotators.grant(team.roles["sam"], "annotator", by=None).role == "annotator"
    with pytest.raises(AnnotatorError, match="only a supervisor grants"):
        sam_ws.annotators.grant(team.roles["sam"], "supervisor", by=None)
    # The owner's connection grants too (the database role decides).
    assert team.owner.annotators.grant(team.roles["sam"], "supervisor", by=None).role == "supervisor"
