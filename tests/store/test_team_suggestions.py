"""Suggestions on a team's PostgreSQL database (migration 0006), as real login roles set up as
docs/team-setup.md says: members see only the suggestions meant for them (blindness: none built
from others' spans unless a supervisor allows), never others' rejections, and write only their own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.model import Suggestion
from annotator.services.suggestions.importing import SuggestionImporter
from tests.store.team import TEXT, Team, make_team

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("backend", ["postgresql"], indirect=True)]


@pytest.fixture
def team(database_factory: Callable[[str], str], tmp_path: Path) -> Iterator[Team]:
    yield from make_team(database_factory, tmp_path)


def at(phrase: str, label: str = "leverage", score: float = 0.9) -> Suggestion:
    start = TEXT.index(phrase)
    return Suggestion(start, start + len(phrase), label, score, "m", "1")


def seen(ws, doc: int, annotator_id: int) -> list[str]:
    return sorted(TEXT[s.start : s.end] for s in ws.suggestions.visible(doc, annotator_id, TEXT))


def denied(team: Team, who: str, statement: str, params: tuple[object, ...] = ()) -> bool:
    import psycopg

    try:
        team.sql(who, statement, params)
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException):
        return True
    return False


@pytest.fixture
def stored(team: Team) -> dict[str, int]:
    """Alice and Bob signed in; the owner stored suggestions for everyone, for each of them, and
    one built from others' spans. Returns their annotator ids."""
    alice = team.open("alice").annotators.sign_in(team.roles["alice"])
    bob = team.open("bob").annotators.sign_in(team.roles["bob"])
    owner = team.owner.suggestions
    doc = team.document_id
    owner.store(doc, "model", [at("Putin")])
    owner.store(doc, "phrase", [at("Xi")], for_annotator=alice.id)
    owner.store(doc, "phrase", [at("Beijing")], for_annotator=bob.id)
    owner.store(doc, "pooled", [at("Talks", "framing")], from_others=True)
    return {"alice": alice.id, "bob": bob.id}


def test_members_see_only_their_suggestions_and_none_from_others_spans(team: Team, stored) -> None:
    alice_ws, doc = team.opened[0], team.document_id
    assert seen(alice_ws, doc, stored["alice"]) == ["Putin", "Xi"]
    # Asking the service for Bob's does not help: the server returns only what Alice may see.
    assert seen(alice_ws, doc, stored["bob"]) == ["Putin"]
    # Plain SQL as Alice: the view has her rows only; the tables are closed to her.
    _, rows = team.sql("alice", "SELECT source FROM annotator_api.suggestion ORDER BY source")
    assert [r[0] for r in rows] == ["model", "phrase"]
    for table in ("suggestion", "suggestion_rejection", "suggestion_policy"):
        assert denied(team, "alice", f"SELECT count(*) FROM public.{table}"), table
    assert denied(team, "alice", "SELECT count(*) FROM public.suggestion_policy")
    # The supervisor allows suggestions built from others' spans: now she sees them.
    sam = team.open("sam")
    sam_info = sam.annotators.sign_in(team.roles["sam"])
    sam.suggestions.set_policy(show_others=True, train_on_gold=False, role=sam_info.role)
    assert seen(alice_ws, doc, stored["alice"]) == ["Putin", "Talks", "Xi"]


def test_a_member_cannot_change_the_policy_even_through_sql(team: Team, stored) -> None:
    alice_ws = team.opened[0]
    with pytest.raises(AnnotatorError):
        alice_ws.suggestions.set_policy(show_others=True, train_on_gold=True, role="supervisor")
    assert denied(team, "alice", "SELECT annotator_set_suggestion_policy(true, true)")
    assert denied(team, "alice", "UPDATE public.suggestion_policy SET show_others = true")
    assert team.owner.suggestions.policy().show_others is False


def test_rejections_are_private_and_written_as_the_caller(team: Team, stored) -> None:
    alice_ws, bob_ws, doc = team.opened[0], team.opened[1], team.document_id
    putin = next(s for s in bob_ws.suggestions.visible(doc, stored["bob"], TEXT) if s.source == "model")
    bob_ws.suggestions.reject(putin, stored["bob"], TEXT)
    assert seen(bob_ws, doc, stored["bob"]) == ["Beijing"]
    assert seen(alice_ws, doc, stored["alice"]) == ["Putin", "Xi"]  # Bob's rejection is his
    _, rows = team.sql("alice", "SELECT count(*) FROM annotator_api.suggestion_rejection")
    assert rows == [(0,)]
    _, rows = team.sql("bob", "SELECT annotator_id, phrase FROM annotator_api.suggestion_rejection")
    assert rows == [(stored["bob"], "putin")]
    # Alice rejecting "as Bob" is recorded as Alice: the function takes the caller.
    xi = next(s for s in alice_ws.suggestions.visible(doc, stored["alice"], TEXT) if s.source == "phrase")
    alice_ws.suggestions.reject(xi, stored["bob"], TEXT)
    owner_rows = team.owner_sql("SELECT annotator_id, phrase FROM suggestion_rejection ORDER BY id")
    assert [tuple(r) for r in owner_rows] == [(stored["bob"], "putin"), (stored["alice"], "xi")]
    assert denied(team, "alice", "INSERT INTO public.suggestion_rejection (annotator_id) VALUES (1)")


def test_members_store_suggestions_only_for_themselves(team: Team, stored) -> None:
    alice_ws, doc = team.opened[0], team.document_id
    assert alice_ws.suggestions.store(doc, "phrase", [at("Talks")], for_annotator=stored["alice"]) == 1
    assert seen(alice_ws, doc, stored["alice"]) == ["Putin", "Talks"]  # replaced her "Xi"
    for kwargs in (
        {"for_annotator": stored["bob"]},
        {},
        {"for_annotator": stored["alice"], "from_others": True},
    ):
        with pytest.raises(AnnotatorError, match=r"refused|permission"):
            alice_ws.suggestions.store(doc, "phrase", [at("deal")], **kwargs)
    assert denied(team, "alice", "DELETE FROM public.suggestion")
    # Accepting makes her span through the span functions.
    talks = next(s for s in alice_ws.suggestions.visible(doc, stored["alice"], TEXT) if s.source == "phrase")
    span = alice_ws.suggestions.accept(talks, stored["alice"])
    assert (TEXT[span.start : span.end], span.annotator_id) == ("Talks", stored["alice"])


def test_import_as_suggestions_is_for_supervisors(team: Team, stored, tmp_path: Path) -> None:
    path = tmp_path / "model.jsonl"
    start = TEXT.index("deal")
    span = {"start": start, "end": start + 4, "label": "leverage", "score": 0.5}
    path.write_bytes(orjson.dumps({"text": TEXT, "spans": [span]}) + b"\n")
    alice_report = SuggestionImporter(team.opened[0].db).import_path(path, "ner")
    assert not alice_report.ok and "only a supervisor imports suggestions" in (alice_report.error or "")
    sam = team.open("sam")
    sam.annotators.sign_in(team.roles["sam"])
    report = SuggestionImporter(sam.db).import_path(path, "ner")
    assert report.ok, report.error
    assert seen(team.opened[0], team.document_id, stored["alice"]) == ["Putin", "Xi", "deal"]


def test_members_train_on_gold_only_when_a_supervisor_allows(team: Team, stored) -> None:
    from annotator.services.suggestions.training import gather_training

    sam = team.open("sam")
    sam_info = sam.annotators.sign_in(team.roles["sam"])
    gold = sam.review.gold()
    lab = sam.labels.list()[0]
    start = TEXT.index("Beijing")
    sam.annotations.add(team.document_id, gold.id, lab.id, start, start + len("Beijing"))
    alice_ws = team.opened[0]
    assert gather_training(alice_ws.db, stored["alice"]).documents == []
    _, rows = team.sql("alice", "SELECT count(*) FROM annotator_gold_training_spans()")
    assert rows == [(0,)]
    sam.suggestions.set_policy(show_others=False, train_on_gold=True, role=sam_info.role)
    [doc] = gather_training(alice_ws.db, stored["alice"]).documents
    assert [(doc.text[s.start : s.end], s.label) for s in doc.spans] == [("Beijing", lab.name)]


def test_a_team_upgraded_from_0005_with_default_grants_gets_nothing_on_the_new_tables(
    database_factory: Callable[[str], str],
) -> None:
    """Default privileges granted after 0005 (the old docs' way) would give the team every new
    table: 0006 takes them away again; the views are what members read."""
    from sqlalchemy import text

    from annotator.services.workspace import Workspace
    from tests.store.older_release import at_revision
    from tests.store.team import OLD_TEAM_SQL, group_of, team_roles

    owner_url = database_factory("old")
    with at_revision(owner_url, "0005") as (engine, _conn):
        pass
    try:
        with team_roles(owner_url, grants=OLD_TEAM_SQL) as names:
            group = group_of(names["alice"])
            Workspace.open(owner_url).close()  # the owner's first start upgrades to 0006
            with engine.connect() as conn:
                tables = ["suggestion", "suggestion_rejection", "suggestion_policy"]
                for table in tables + [f"{t}_id_seq" for t in tables]:
                    held = conn.execute(
                        text("SELECT has_table_privilege(:g, :t, 'SELECT, INSERT, UPDATE, DELETE')"),
                        {"g": group, "t": table},
                    ).scalar_one()
                    assert held is False, table
                for view in tables:
                    assert conn.execute(
                        text("SELECT has_table_privilege(:g, :t, 'SELECT')"),
                        {"g": group, "t": f"annotator_api.{view}"},
                    ).scalar_one()
    finally:
        engine.dispose()
