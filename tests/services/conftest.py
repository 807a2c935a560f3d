"""Workspaces on real databases: SQLite files in tmp_path and, when a server is configured,
fresh PostgreSQL databases (the ``backend`` fixture in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text

from annotator.services.workspace import Workspace


def open_workspace(path: Path) -> Workspace:
    return Workspace.open(str(path))


@pytest.fixture
def make_workspace(database_factory: Callable[[str], str]) -> Iterator[Callable[[str], Workspace]]:
    opened: list[Workspace] = []

    def make(name: str = "a.db") -> Workspace:
        ws = Workspace.open(database_factory(name))
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def ws(make_workspace: Callable[[str], Workspace]) -> Workspace:
    return make_workspace("a.db")


def counts(ws: Workspace) -> tuple[int, int, int]:
    """(documents, spans, statuses) stored."""
    with ws.db.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("document", "span", "document_status")
        )


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def read_jsonl(data: bytes) -> list[dict]:
    return [orjson.loads(line) for line in data.splitlines() if line.strip()]


def import_ok(ws: Workspace, *paths: Path):
    result = ws.importer.import_paths(list(paths))
    assert result.ok, [f.error for f in result.files]
    return result.files[0] if len(paths) == 1 else result.files


def import_error(ws: Workspace, path: Path) -> str:
    result = ws.importer.import_paths([path])
    assert not result.ok
    error = result.files[0].error
    assert error
    return error
