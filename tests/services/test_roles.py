"""Issue 13, roles: the supervisor role is granted, never self-chosen (both backends; on
PostgreSQL through the owner's connection, as the desktop administrator uses it)."""

from __future__ import annotations

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace


def roles(ws: Workspace) -> dict[str, str]:
    return {a.name: a.role for a in ws.annotators.list()}


def test_the_first_to_sign_in_supervises_and_nobody_chooses_it(ws: Workspace) -> None:
    assert ws.annotators.newcomer_role() == "supervisor"
    assert ws.annotators.sign_in("sam").role == "supervisor"
    assert ws.annotators.newcomer_role() == "annotator"
    assert ws.annotators.sign_in("alice").role == "annotator"
    # Asking for the role is refused and changes nothing: not alice's row, and no new row either.
    with pytest.raises(AnnotatorError, match="registered as annotator; only a supervisor grants"):
        ws.annotators.sign_in("alice", "supervisor")
    with pytest.raises(AnnotatorError, match="registered as annotator"):
        ws.annotators.sign_in("mallory", "supervisor")
    assert roles(ws) == {"sam": "supervisor", "alice": "annotator"}
    assert ws.annotators.sign_in("sam").role == "supervisor"  # signing in again keeps it


def test_a_database_without_a_supervisor_gets_one_at_the_next_sign_in(ws: Workspace) -> None:
    """Databases from before roles were granted (or imported annotators): whoever signs in first."""
    from sqlalchemy import text

    with ws.db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO annotator (name, role) VALUES ('alice', 'annotator'), ('bob', 'annotator')")
        )
    assert ws.annotators.sign_in("bob").role == "supervisor"
    assert ws.annotators.sign_in("alice").role == "annotator"


def test_a_supervisor_grants_and_revokes(ws: Workspace) -> None:
    ws.annotators.sign_in("sam")
    ws.annotators.sign_in("alice")
    assert ws.annotators.grant("alice", "supervisor", by="sam").role == "supervisor"
    assert ws.annotators.sign_in("alice").role == "supervisor"
    assert ws.annotators.grant("sam", "annotator", by="alice").role == "annotator"
    assert roles(ws) == {"alice": "supervisor", "sam": "annotator"}


@pytest.mark.parametrize(
    ("by", "message"),
    [
        ("alice", "'alice' is not a supervisor"),
        ("nobody-here", "'nobody-here' is not a supervisor"),
        ("gold", "'gold' is not a supervisor"),
    ],
)
def test_an_annotator_cannot_grant(ws: Workspace, by: str, message: str) -> None:
    ws.annotators.sign_in("sam")
    ws.annotators.sign_in("alice")
    for target, role in (("alice", "supervisor"), ("sam", "annotator")):
        with pytest.raises(AnnotatorError, match=message):
            ws.annotators.grant(target, role, by=by)
    assert roles(ws) == {"sam": "supervisor", "alice": "annotator"}


def test_grant_mistakes_are_clear_and_change_nothing(ws: Workspace) -> None:
    ws.annotators.sign_in("sam")
    with pytest.raises(AnnotatorError, match="'sam' is the only supervisor"):
        ws.annotators.grant("sam", "annotator", by="sam")
    with pytest.raises(AnnotatorError, match="no annotator named 'zoe'"):
        ws.annotators.grant("zoe", "supervisor", by="sam")
    with pytest.raises(AnnotatorError, match="unknown role 'owner'"):
        ws.annotators.grant("sam", "owner", by="sam")
    assert roles(ws) == {"sam": "supervisor"}
