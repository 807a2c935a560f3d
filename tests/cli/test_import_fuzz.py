"""Fuzz: hundreds of malformed files through every import reader, by the real command line.

For every file: no traceback and no "internal error" (the CLI's last guard turns an unexpected
exception into that line, so seeing it means a reader let one through); a refused file exits 1 with a
message that names it and leaves the database exactly as it was; an accepted file says so on stdout.
ANNOTATOR_FUZZ_CASES and ANNOTATOR_FUZZ_SEED run more or other cases (the defaults take ~10 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]
from sqlalchemy import create_engine, text

from annotator import cli
from annotator.store.engine import to_url
from tests.cli.fuzz_inputs import NATIVE, cases
from tests.cli.test_cli import REPO
from tests.services.conftest import write_jsonl

TABLES = ("document", "span", "annotator", "label", "document_status")
SEED = int(os.environ.get("ANNOTATOR_FUZZ_SEED", "15"))


def _count(target: str) -> Callable[[], tuple[int, ...]]:
    engine = create_engine(to_url(target))

    def count() -> tuple[int, ...]:
        with engine.connect() as conn:
            return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES)

    return count


def test_malformed_files_are_refused_cleanly_and_change_nothing(
    database_factory: Callable[[str], str],
    backend: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    default = 400 if backend == "sqlite" else 120
    count_cases = int(os.environ.get("ANNOTATOR_FUZZ_CASES", default))
    db = database_factory("fuzz.db")
    seed_file = write_jsonl(tmp_path / "seed.jsonl", [NATIVE])
    assert cli.main(["--db", db, "import", str(seed_file)]) == 0
    counts = _count(db)
    refused = 0
    for i, (name, data, fmt) in enumerate(cases(SEED, count_cases)):
        path = tmp_path / name
        path.write_bytes(data)
        before = counts()
        capsys.readouterr()
        options = (["--format", fmt] if fmt else []) + (["--annotator", "fuzz"] if i % 2 else [])
        args = ["--db", db, "import", *options, str(path)]
        code = cli.main(args)
        out, err = capsys.readouterr()
        where = f"{name} (--format {fmt}) {data[:300]!r}"
        assert "Traceback" not in out + err, where
        assert "internal error" not in err, f"{where}\n{err}"
        assert "\x1b" not in out + err and "\x07" not in out + err, where
        assert len(err) < 2_000, where
        if code == 0:
            assert str(path) in out, where
            continue
        refused += 1
        assert code == 1, where
        assert str(path) in err, f"{where}\n{err}"
        assert counts() == before, f"{where} changed the database\n{err}"
    # The generator breaks nearly every file; if most were accepted, it is not testing refusals.
    assert refused > count_cases * 0.7, refused


def _memory_limit() -> None:
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, 4 * 1024**3))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_real_process_on_hostile_files_prints_messages_not_tracebacks(tmp_path: Path) -> None:
    """The same refusals as a user sees them: one process, several files, each named, exit 1."""
    huge_field = tmp_path / "huge.csv"
    huge_field.write_text('id,text\n1,"' + "z" * 200_000 + '"\n', encoding="utf-8")
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text('id,text\n1,"never closed\n2,second\n3,third\n', encoding="utf-8")
    title = tmp_path / "title.jsonl"
    write_jsonl(title, [{"text": "t", "spans": [{"start": 0, "end": 1, "label": "\x1b]0;pwned\x07"}]}])
    doccano = tmp_path / "zeros.jsonl"
    write_jsonl(doccano, [{"text": "abc", "label": [[0] * 1_000_000]}])
    files = [str(huge_field), str(unclosed), str(title), str(doccano), "/dev/zero"]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "--db",
            str(tmp_path / "a.db"),
            "import",
            "--annotator",
            "x",
            *files,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        preexec_fn=_memory_limit if resource else None,  # a regression reading /dev/zero fails fast
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert len(result.stderr) < 3_000
    assert "huge.csv (csv): 1 new documents" in result.stdout
    for name in files[1:]:
        assert name in result.stderr
