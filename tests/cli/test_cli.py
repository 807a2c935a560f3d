"""The command line as a user runs it: a separate process, real files, exit codes and messages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

REPO = Path(__file__).resolve().parents[2]


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "ANNOTATOR_DB"}
    full_env.update({"PYTHONPATH": str(REPO), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=cwd or REPO,
        timeout=120,
    )


def records(out: str) -> list[dict]:
    return [orjson.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    text = "Putin 😀 met Xi.\r\nDeal signed."
    line = {
        "id": "doc-1",
        "title": "Visit",
        "text": text,
        "spans": [{"start": 0, "end": 5, "text": "Putin", "label": "framing", "annotator": "alice"}],
        "status": {"alice": "done"},
    }
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(orjson.dumps(line) + b"\n")
    return path


@pytest.fixture
def db(database_factory: Callable[[str], str]) -> str:
    """A new database of the current backend: a SQLite file path, or a PostgreSQL URL."""
    return database_factory("a.db")


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "annotator 0.1.0"


def test_import_prints_a_summary(db: str, backend: str, corpus: Path) -> None:
    result = run("--db", db, "import", str(corpus))
    assert result.returncode == 0, result.stderr
    assert str(corpus) in result.stdout
    assert "1 new documents" in result.stdout
    assert "1 spans added" in result.stdout
    if backend == "sqlite":
        assert Path(db).exists()
    again = run("--db", db, "import", str(corpus))
    assert "0 new documents, 1 already present" in again.stdout
    assert "1 already present" in again.stdout.split(";")[1]


def test_bad_file_exits_1_without_traceback(db: str, tmp_path: Path, corpus: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(
        b'{"text": "fine"}\n{"text": "x", "spans": [{"start": 0, "end": 9, "label": "framing", "annotator": "a"}]}\n'
    )
    result = run("--db", db, "import", str(bad), str(corpus))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}, line 2, field 'spans[0].end'" in result.stderr
    assert str(corpus) in result.stdout  # the good file was still imported
    exported = run("--db", db, "export", "--format", "jsonl")
    assert [r["id"] for r in records(exported.stdout)] == ["doc-1"]


def test_bad_database_file_exits_1_with_error(tmp_path: Path, corpus: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database", encoding="utf-8")
    result = run("--db", str(notes), "import", str(corpus))
    assert result.returncode == 1
    assert result.stderr.startswith("annotator: error:")
    assert "Traceback" not in result.stderr
    assert notes.read_text(encoding="utf-8") == "not a database"


def test_export_to_stdout_and_file(db: str, tmp_path: Path, corpus: Path) -> None:
    assert run("--db", db, "import", str(corpus)).returncode == 0
    to_stdout = run("--db", db, "export", "--format", "jsonl")
    assert to_stdout.returncode == 0, to_stdout.stderr
    [record] = records(to_stdout.stdout)
    assert record["text"] == "Putin 😀 met Xi.\r\nDeal signed."
    assert record["spans"][0]["text"] == "Putin"
    out = tmp_path / "out.jsonl"
    to_file = run("--db", db, "export", "--format", "jsonl", "-o", str(out))
    assert to_file.returncode == 0, to_file.stderr
    assert to_file.stdout == ""
    assert "wrote 1 document, 1 span to" in to_file.stderr
    assert records(out.read_text(encoding="utf-8")) == [record]


def test_export_with_unknown_annotator_is_refused(db: str, tmp_path: Path, corpus: Path) -> None:
    run("--db", db, "import", str(corpus))
    out = tmp_path / "out.jsonl"
    result = run("--db", db, "export", "--format", "jsonl", "--annotator", "zed", "-o", str(out))
    assert result.returncode == 1
    assert "annotator: error:" in result.stderr and "zed" in result.stderr
    assert not out.exists()


def test_agreement_prints_a_table_and_json(db: str, tmp_path: Path, corpus: Path) -> None:
    line = orjson.loads(corpus.read_bytes())
    line["spans"] = [{**line["spans"][0], "annotator": "bob"}]
    line["status"] = {"bob": "done"}
    bob = tmp_path / "bob.jsonl"
    bob.write_bytes(orjson.dumps(line) + b"\n")
    assert run("--db", db, "import", str(corpus), str(bob)).returncode == 0
    table = run("--db", db, "agreement")
    assert table.returncode == 0, table.stderr
    assert "framing" in table.stdout
    as_json = run("--db", db, "agreement", "--json")
    assert as_json.returncode == 0, as_json.stderr
    result = orjson.loads(as_json.stdout)
    assert result["annotators"] == ["alice", "bob"]
    assert result["documents"] == 1


def test_unknown_format_is_refused(db: str) -> None:
    result = run("--db", db, "export", "--format", "xml")
    assert result.returncode != 0
    assert "xml" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_subcommand_argument_is_a_usage_error(db: str) -> None:
    result = run("--db", db, "export")
    assert result.returncode == 2
    assert "--format" in result.stderr


def test_annotator_db_environment_variable(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "from-env.db"
    result = run(
        "import", str(corpus), env={"ANNOTATOR_DB": str(db), "ANNOTATOR_DATA_DIR": str(tmp_path / "data")}
    )
    assert result.returncode == 0, result.stderr
    assert db.exists()
    assert not (tmp_path / "data").exists()
    # --db wins over the environment.
    other = tmp_path / "other.db"
    run("--db", str(other), "import", str(corpus), env={"ANNOTATOR_DB": str(db)})
    assert other.exists()


def test_headless_commands_never_import_qt(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "a.db"
    out = tmp_path / "out.jsonl"
    script = (
        "import sys\n"
        "from annotator.cli import main\n"
        f"assert main(['--db', {str(db)!r}, 'import', {str(corpus)!r}]) == 0\n"
        f"assert main(['--db', {str(db)!r}, 'export', '--format', 'jsonl', '-o', {str(out)!r}]) == 0\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print('QT:', qt)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "QT: []" in result.stdout
    assert len(records(out.read_text(encoding="utf-8"))) == 1


def test_commands_close_the_database_before_their_quick_exit(tmp_path: Path, corpus: Path) -> None:
    """The command-line exits without Python's teardown, so the command itself must close the
    database: a cleanly closed SQLite database leaves no write-ahead log behind."""
    db = tmp_path / "a.db"
    result = run("--db", str(db), "import", str(corpus))
    assert result.returncode == 0, result.stderr
    assert "1 new documents" in result.stdout  # flushed before the exit
    assert not (tmp_path / "a.db-wal").exists()
    failed = run("--db", str(db), "import", str(tmp_path / "missing.jsonl"))
    assert failed.returncode == 1
    assert "missing.jsonl" in failed.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_server_that_refuses_the_login_is_a_clear_error(db: str, corpus: Path) -> None:
    from sqlalchemy.engine import make_url

    wrong = make_url(db).set(password="not-the-password").render_as_string(hide_password=False)
    result = run("--db", wrong, "import", str(corpus))
    assert result.returncode == 1
    assert result.stderr.startswith("annotator: error:")
    assert "Traceback" not in result.stderr
    assert "not-the-password" not in result.stderr  # the URL is shown without its password
