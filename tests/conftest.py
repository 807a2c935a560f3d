"""Test set-up shared by every test module.

Workspace fixtures run on both backends: a SQLite file in tmp_path, and a fresh database on a real
PostgreSQL server when ANNOTATOR_TEST_PG_URL names one (an admin URL such as
postgresql+psycopg://annotator_admin:secret@localhost/postgres; .ci/run starts the server and sets
it). Without a server the PostgreSQL half is skipped, so a developer still runs the SQLite half.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from annotator.services.workspace import Workspace

# pytest-qt aborts without a display unless this is set before Qt loads (DESIGN.md section 9).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Every worker thread reports any widget it touches (annotator/ui/thread_guard.py); tests fail on it.
os.environ["ANNOTATOR_CHECK_THREADS"] = "1"

PG_ADMIN_URL = os.environ.get("ANNOTATOR_TEST_PG_URL", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


class PostgresDatabases:
    """Creates empty databases on the test server and drops them afterwards."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy.engine import make_url

        self.admin = make_url(admin_url)
        self.created: list[str] = []

    def _run(self, sql: str) -> None:
        import psycopg

        params = {
            "host": self.admin.host or "localhost",
            "port": self.admin.port or 5432,
            "user": self.admin.username,
            "password": self.admin.password,
            "dbname": self.admin.database or "postgres",
        }
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> str:
        name = f"annotator_test_{uuid.uuid4().hex[:16]}"
        self._run(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.admin.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for name in self.created:
            self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_ADMIN_URL:
        pytest.skip("no PostgreSQL server (set ANNOTATOR_TEST_PG_URL to run this half)")
    return request.param


@pytest.fixture
def database_factory(backend: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """name -> a new, empty database of the current backend (a file path or a URL)."""
    if backend == "sqlite":
        yield lambda name: str(tmp_path / name)
        return
    databases = PostgresDatabases(PG_ADMIN_URL)
    cache: dict[str, str] = {}

    def make(name: str) -> str:
        if name not in cache:
            cache[name] = databases.create()
        return cache[name]

    yield make
    databases.drop_all()


def psycopg_connect(url: str) -> Any:
    """A plain driver connection (autocommit) for what a test does beside the app: admin SQL,
    another role's queries, a second session."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(
        host=u.host or "localhost",
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname=u.database or "postgres",
        autocommit=True,
    )


@pytest.fixture
def impatient_workspace(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Workspace]:
    """A SQLite workspace that gives up on a locked database after 0.2 s instead of 15 s."""
    from annotator.services.workspace import Workspace

    monkeypatch.setattr("annotator.store.engine.BUSY_TIMEOUT_MS", 200)
    ws = Workspace.open(str(tmp_path / "impatient.db"))
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def x_session() -> Iterator[Any]:
    """A real X display with a window manager (tests/display/xsession.py). On CI (CI set) missing
    tools fail, since .ci/run installs them; elsewhere the tests that need it skip."""
    from tests.display.xsession import XSession, missing_tools

    missing = missing_tools()
    if missing:
        message = f"the real-display tests need {', '.join(missing)} (apt-get install xvfb openbox xdotool)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    session = XSession.start()
    yield session
    session.stop()
