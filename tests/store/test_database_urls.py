"""--db URLs: a malformed or unusable one is a clear message that never shows the password."""

from __future__ import annotations

import pytest

from annotator.store.database import Database
from annotator.store.engine import masked, to_url
from annotator.store.errors import StoreError
from tests.cli.test_cli import run


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "mysql://u:SECRET@h/db",
            "'mysql://u:***@h/db': unsupported database 'mysql'; use postgresql+psycopg://user@host[:port]/database, or a SQLite file path",
        ),
        (
            "postgresql+psycopg://u:SECRET@h:notaport/db",
            "'postgresql+psycopg://u:***@h:notaport/db' is not a database URL (the port must be a number)",
        ),
        (
            "sqlite://u:SECRET@/x.db",
            "'sqlite://u:***@/x.db': a SQLite URL names a file only, with no user, password or host",
        ),
        ("sqlite://", "'sqlite://' names no database file (an in-memory database would lose everything)"),
        ("sqlite:///:memory:", "'sqlite:///:memory:' names no database file"),
        ("postgresql+psycopg://u:SE@CRET@h/db", "'postgresql+psycopg://u:***@h/db' has more than one '@'"),
        ("://nothing", "'://nothing' is not a database URL (it could not be parsed)"),
        (
            "postgresql+nodriver://u:SECRET@h/db",
            "'postgresql+nodriver://u:***@h/db' cannot be used as a database",
        ),
    ],
)
def test_bad_urls_are_refused_without_the_password(target: str, message: str) -> None:
    with pytest.raises(StoreError) as caught:
        Database.open(target)
    assert str(caught.value).startswith(message)
    assert "SECRET" not in str(caught.value) and "CRET" not in str(caught.value)


def test_masked_hides_every_password_shape() -> None:
    assert masked("postgresql+psycopg://alice:p%40ss@h:5432/db") == "postgresql+psycopg://alice:***@h:5432/db"
    assert masked("postgresql://:only@h/db") == "postgresql://:***@h/db"
    assert masked("postgresql://alice@h/db") == "postgresql://alice@h/db"


def test_good_urls_and_paths_pass() -> None:
    assert (
        to_url("postgresql+psycopg://alice@localhost:5432/team")
        == "postgresql+psycopg://alice@localhost:5432/team"
    )
    assert to_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


@pytest.mark.parametrize(
    "target", ["mysql://u:SECRET@h/db", "postgresql://u:SECRET@h:notaport/db", "sqlite://u:SECRET@/x"]
)
def test_the_command_line_refuses_a_bad_url_in_one_line(target: str) -> None:
    result = run("--db", target, "agreement")
    assert result.returncode == 1
    assert "SECRET" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith("annotator: error: '") and result.stderr.count("\n") == 1
