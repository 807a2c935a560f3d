"""Document labels, comments and guideline versions on a team's PostgreSQL database (migration
0007), tried as real login roles set up as docs/team-setup.md says, with plain SQL on each role's
own connection as well as through the app: a member reads and writes only their own rows (a
supervisor reads all), and nothing of another's rows leaks through the tables, the planner or the
write functions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.services.exporting import ExportFilter
from annotator.store.errors import StoreError
from tests.store.team import Team, make_team
from tests.store.test_team_side_channels import denied, plan_figures

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgresql"], indirect=True)]


@pytest.fixture
def team(database_factory: Callable[[str], str], tmp_path: Path) -> Iterator[Team]:
    yield from make_team(database_factory, tmp_path)


@pytest.fixture
def bob_has_data(team: Team) -> tuple[int, int]:
    """Bob gave the document a document label and a comment; returns (bob's id, the label's id)."""
    owner = team.owner
    lab = owner.labels.create("hopeful", kind="document", label_set="tone").id
    bob_ws = team.open("bob")
    bob = bob_ws.annotators.sign_in(team.roles["bob"])
    team.open("alice").annotators.sign_in(team.roles["alice"])
    bob_ws.document_data.set_labels(team.document_id, bob.id, frozenset({lab}))
    bob_ws.document_data.set_comment(team.document_id, bob.id, "Bob's question")
    team.owner_sql("ANALYZE")
    return bob.id, lab


def test_a_member_cannot_read_anothers_document_labels_or_comments(
    team: Team, bob_has_data: tuple[int, int]
) -> None:
    bob_id, lab = bob_has_data
    doc = team.document_id
    for table in ("document_label", "document_comment"):
        assert denied(team, "alice", f"SELECT * FROM {table}")  # no privilege on the tables at all
        assert team.sql("alice", f"SELECT * FROM annotator_api.{table}") == (0, [])
        assert team.sql(
            "alice", f"SELECT count(*) FROM annotator_api.{table} WHERE annotator_id = %s", (bob_id,)
        )[1] == [(0,)]
    # The planner counts nothing it then hides (a definer function is never inlined).
    probe = f"SELECT 1 FROM annotator_api.document_label WHERE document_id = {doc} AND annotator_id = %s AND label_id = {lab}"
    assert plan_figures(team, "alice", probe % bob_id) == plan_figures(team, "alice", probe % 10**6)
    # Bob reads his own; the supervisor reads everyone's.
    assert team.sql("bob", "SELECT text FROM annotator_api.document_comment")[1] == [("Bob's question",)]
    assert team.sql("sam", "SELECT annotator_id, label_id FROM annotator_api.document_label")[1] == [
        (bob_id, lab)
    ]
    sam = team.open("sam")
    assert sam.document_data.all_comments(doc) == {team.roles["bob"]: "Bob's question"}
    alice = team.open("alice")
    assert alice.document_data.all_comments(doc) == {} and alice.document_data.all_labels(doc) == {}


def test_a_member_cannot_write_anothers_rows_nor_the_guidelines(
    team: Team, bob_has_data: tuple[int, int]
) -> None:
    import psycopg

    bob_id, lab = bob_has_data
    doc = team.document_id
    for statement, params in (
        ("SELECT annotator_set_document_label(%s, %s, %s, false)", (doc, bob_id, lab)),
        ("SELECT annotator_set_document_comment(%s, %s, 'forged')", (doc, bob_id)),
        ("SELECT annotator_record_guideline(%s, 'forged')", (lab,)),
        ("SELECT annotator_save_label_kind(%s, 'span', '', false)", (lab,)),
        ("INSERT INTO document_comment VALUES (%s, %s, 'forged', now())", (doc, bob_id)),
        ("DELETE FROM document_label", ()),
        (
            "INSERT INTO guideline_version (label_id, label_name, description, author, created_at) "
            "VALUES (%s, 'x', 'forged', 'x', now())",
            (lab,),
        ),
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team.sql("alice", statement, params)
    assert team.sql("sam", "SELECT text FROM annotator_api.document_comment")[1] == [("Bob's question",)]
    assert team.sql("sam", "SELECT count(*) FROM annotator_api.document_label")[1] == [(1,)]
    alice_ws = team.open("alice")
    with pytest.raises(StoreError, match="refused"):
        alice_ws.document_data.set_comment(doc, bob_id, "forged through the app")


def test_a_members_own_work_and_the_guideline_version_of_what_they_finish(
    team: Team, bob_has_data: tuple[int, int]
) -> None:
    _, lab = bob_has_data
    doc = team.document_id
    sam = team.open("sam")
    sam.annotators.sign_in(team.roles["sam"])
    framing = sam.labels.by_name("framing")
    sam.labels.update(framing.id, description="Word choice that steers reading.", author="whoever")
    [version] = sam.guidelines.history("framing")
    assert version.author == team.roles["sam"]  # the login role, whatever the caller says
    alice_ws = team.open("alice")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    assert alice_ws.guidelines.current_version() == version.version  # readable by the team
    alice_ws.document_data.set_labels(doc, alice.id, frozenset({lab}))
    alice_ws.document_data.set_comment(doc, alice.id, "Alice's question")
    assert alice_ws.documents.status_of(doc, alice.id) == "in_progress"
    alice_ws.documents.set_status(doc, alice.id, "done")
    records = list(alice_ws.exporter.records(ExportFilter(annotators=[team.roles["alice"]])))
    [record] = records
    assert record.comments == {team.roles["alice"]: "Alice's question"}
    assert [d.label for d in record.document_labels] == ["hopeful"]
    assert record.guidelines == {team.roles["alice"]: version.version}
    # An export by Alice over everyone she may read holds only her own comment.
    [everything] = list(alice_ws.exporter.records(ExportFilter()))
    assert set(everything.comments) == {team.roles["alice"]}
