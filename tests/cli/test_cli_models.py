"""`annotator models check URL` through the real command, against a real ML backend process."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from annotator.services.workspace import Workspace
from tests.cli.test_cli import run
from tests.services.suggestions import ml_backend_server


@pytest.fixture
def db(database_factory: Callable[[str], str]) -> str:
    url = database_factory("a.db")
    Workspace.open(url).close()
    return url


@pytest.fixture
def ml_backend() -> Iterator[Callable[..., str]]:
    procs = []

    def start(*keywords: str, mode: str = "ok") -> str:
        proc, url = ml_backend_server.start(*keywords, mode=mode)
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(10)


def test_check_reports_health_and_a_trial_prediction(db: str, ml_backend) -> None:
    url = ml_backend("tariffs=leverage", "cold war=framing")
    done = run("--db", db, "models", "check", url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"{url}: UP (model_class=KeywordModel, model_version=kw-1)"
    assert lines[1] == "trial prediction with 4 labels: 2 suggestion(s)"
    assert lines[2:] == ["  [23, 30) leverage 0.80 'tariffs'", "  [84, 92) framing 0.80 'cold war'"]


def test_check_fails_clearly(db: str, ml_backend) -> None:
    down = run("--db", db, "models", "check", ml_backend(mode="down"))
    assert down.returncode == 1
    assert "annotator: error: the ML backend at http://127.0.0.1:" in down.stderr
    assert "is not ready" in down.stderr
    unknown = run("--db", db, "models", "check", ml_backend("tariffs=tariff talk", mode="unknown-label"))
    assert unknown.returncode == 1
    assert "'tariff talk?' is not a label of this project" in unknown.stderr
    assert "Traceback" not in unknown.stderr + down.stderr
