"""Issue 13, roles on a team database: real login roles. The role stays the database's to
enforce: a team member (annotator or supervisor) cannot grant it, through the app, the functions
of revision 0005 or plain SQL; the owner can, and the views then show the new supervisor all."""

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
    with pytest.raises(AnnotatorError, match="only the administrator changes roles"):
        bob_ws.annotators.sign_in(bob_name, "supervisor")
    with pytest.raises(
        AnnotatorError, match="permission denied: on this team database only the administrator"
    ):
        bob_ws.annotators.grant(bob_name, "supervisor", by=team.roles["sam"])
    # Around the app: the functions register only a plain annotator, and the table is closed.
    [(row,)] = team.sql("bob", "SELECT role FROM annotator_sign_up(%s)", (bob_name,))[1]
    assert row == "annotator"
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        team.sql("bob", "UPDATE annotator SET role = 'supervisor' WHERE name = session_user")
    assert team.sql("bob", "SELECT annotator_is_supervisor()")[1] == [(False,)]
    assert stored_roles(team)[bob_name] == "annotator"


def test_a_team_supervisor_cannot_grant_either_the_owner_does(team: Team) -> None:
    alice_ws, sam_ws = team.open("alice"), team.open("sam")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    sam_ws.annotators.sign_in(team.roles["sam"], "supervisor")
    alice_ws.annotations.add(team.document_id, alice.id, label_id(alice_ws), 0, 5)
    bob_ws = team.open("bob")
    bob = bob_ws.annotators.sign_in(team.roles["bob"])
    assert bob_ws.annotations.spans_for(team.document_id, alice.id) == []  # blind
    with pytest.raises(AnnotatorError, match="ask them to run `annotator team grant"):
        sam_ws.annotators.grant(team.roles["bob"], "supervisor", by=team.roles["sam"])
    assert stored_roles(team)[team.roles["bob"]] == "annotator"
    # The owner's connection grants (the database role decides), and the views follow at once.
    assert team.owner.annotators.grant(team.roles["bob"], "supervisor", by=None).role == "supervisor"
    assert bob_ws.annotators.sign_in(team.roles["bob"]).role == "supervisor"
    assert len(bob_ws.annotations.spans_for(team.document_id, alice.id)) == 1
    assert bob.id == bob_ws.annotators.find(team.roles["bob"]).id
