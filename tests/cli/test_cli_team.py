"""`annotator team` through the real command, on both backends."""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest

from annotator.services.workspace import Workspace
from tests.cli.test_cli import run


@pytest.fixture
def db(database_factory: Callable[[str], str]) -> str:
    url = database_factory("a.db")
    ws = Workspace.open(url)
    ws.annotators.sign_in("sam")  # the first to sign in supervises
    ws.annotators.sign_in("alice")
    ws.close()
    return url


def test_team_list_and_grant(db: str) -> None:
    listed = run("--db", db, "team")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == ["alice\tannotator", "sam\tsupervisor"]
    granted = run("--db", db, "team", "grant", "alice", "supervisor", "--as", "sam")
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout.strip() == "'alice' is now supervisor"
    again = run("--db", db, "team", "grant", "alice", "supervisor", "--as", "sam")
    assert "already supervisor; nothing changed" in again.stdout
    revoked = run("--db", db, "team", "grant", "sam", "annotator", "--as", "alice")
    assert revoked.returncode == 0, revoked.stderr
    as_json = run("--db", db, "team", "list", "--json")
    assert [orjson.loads(line) for line in as_json.stdout.splitlines()] == [
        {"name": "alice", "role": "supervisor"},
        {"name": "sam", "role": "annotator"},
    ]


def test_an_annotator_cannot_grant_from_the_command_line(db: str) -> None:
    refused = run("--db", db, "team", "grant", "alice", "supervisor", "--as", "alice")
    assert refused.returncode == 1
    assert "permission denied: 'alice' is not a supervisor" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert run("--db", db, "team").stdout.splitlines() == ["alice\tannotator", "sam\tsupervisor"]


def test_sqlite_needs_to_know_who_grants(database_factory: Callable[[str], str], backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("on PostgreSQL the owner's connection itself may grant")
    url = database_factory("b.db")
    ws = Workspace.open(url)
    ws.annotators.sign_in("sam")
    ws.annotators.sign_in("alice")
    ws.close()
    refused = run("--db", url, "team", "grant", "alice", "supervisor")
    assert refused.returncode == 1
    assert "say who you are with --as" in refused.stderr
    bad_role = run("--db", url, "team", "grant", "alice", "owner", "--as", "sam")
    assert bad_role.returncode == 2 and "invalid choice: 'owner'" in bad_role.stderr
