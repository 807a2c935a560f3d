"""What an import reads, and how much: CSV faults named by line, bounded reads, escaped messages."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.domain.errors import AnnotatorError
from annotator.domain.formats import limits
from annotator.services.workspace import Workspace
from tests.services.conftest import counts, import_error, import_ok, write_jsonl

# --- CSV ------------------------------------------------------------------------------------------


def test_a_csv_field_longer_than_pythons_default_limit_is_imported(ws: Workspace, tmp_path: Path) -> None:
    body = "long article " * 20_000  # 260,000 characters; Python's csv stops at 131,072
    path = tmp_path / "long.csv"
    path.write_text(f'id,text\nlong-1,"{body}"\n', encoding="utf-8")
    assert import_ok(ws, path).documents_added == 1
    with ws.db.engine.connect() as conn:
        assert conn.execute(text("SELECT text FROM document")).scalar_one() == body


def test_a_csv_field_over_the_document_limit_is_refused_naming_line_and_limit(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "CSV_FIELD_CHARS", 1_000)
    path = tmp_path / "long.csv"
    path.write_text('id,text\n1,short\n2,"' + "z" * 1_001 + '"\n', encoding="utf-8")
    error = import_error(ws, path)
    assert error.startswith(f"{path}, line 3: a field is longer than 1,000 characters")
    assert counts(ws) == (0, 0, 0)


def test_an_unclosed_quote_is_refused_naming_the_line_where_it_opens(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "unclosed.csv"
    path.write_text('id,text\n1,first\n2,"never closed\n3,third\n4,fourth\n', encoding="utf-8")
    error = import_error(ws, path)
    assert error == (
        f"{path}, line 3: a quoted field in the row starting here is never closed (the file ends at line 5)"
    )
    assert counts(ws) == (0, 0, 0)


def test_text_after_a_closing_quote_is_refused_naming_the_line(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('id,text\n1,first\n2,"quoted" and more\n', encoding="utf-8")
    assert import_error(ws, path).startswith(f"{path}, line 3: text follows a closing quote on line 3")


def test_a_row_with_more_fields_than_the_header_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """`1,Hello, world` would otherwise store "Hello" and silently drop " world"."""
    path = tmp_path / "comma.csv"
    path.write_text("id,text\n1,Hello, world\n", encoding="utf-8")
    assert import_error(ws, path) == f"{path}, line 2: the row has 3 fields; the header has 2"


def test_csv_duplicate_ids_are_named_by_line(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text('id,text\n1,first\n2,"two\nlines"\n1,other text\n', encoding="utf-8")
    error = import_error(ws, path)
    assert error.startswith(f"{path}, line 5, field 'id': document '1' appears twice with different texts")
    stored = tmp_path / "stored.csv"
    stored.write_text("id,text\nx,one\n", encoding="utf-8")
    import_ok(ws, stored)
    again = tmp_path / "again.csv"
    again.write_text("id,text\ny,fine\nx,changed\n", encoding="utf-8")
    assert import_error(ws, again).startswith(
        f"{again}, line 3, field 'text': document 'x' is already stored"
    )
    assert counts(ws) == (1, 0, 0)


# --- what is read, and how much --------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_refused_without_reading_it(ws: Workspace) -> None:
    """/dev/null, not /dev/zero, so that a regression fails here instead of eating the memory
    (tests/cli/test_import_fuzz.py runs /dev/zero in a process with a memory limit)."""
    error = import_error(ws, Path("/dev/null"))
    assert (
        error
        == "/dev/null: this is a character device; import reads regular files only (name the files to import)"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(ws: Workspace, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    errors: list[str] = []
    worker = threading.Thread(target=lambda: errors.append(import_error(ws, fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "the import waited on the pipe"
    assert errors == [
        f"{fifo}: this is a named pipe (FIFO); import reads regular files only (name the files to import)"
    ]


def test_a_folder_is_refused(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "docs.txt"
    folder.mkdir()
    assert "this is a folder; import reads regular files only" in import_error(ws, folder)


def _sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (and would take that much memory to read)."""
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def test_a_text_file_over_its_limit_is_refused_before_it_is_read(ws: Workspace, tmp_path: Path) -> None:
    path = _sparse(tmp_path / "huge.txt", limits.TEXT_FILE_BYTES + 1)
    error = import_error(ws, path)
    assert error == f"{path}: the file is over 64 MiB; a .txt or .md document can be at most 64 MiB"


@pytest.mark.skipif(sys.platform == "win32", reason="sparse files")
def test_a_data_file_over_its_limit_is_refused_before_it_is_read(ws: Workspace, tmp_path: Path) -> None:
    path = _sparse(tmp_path / "huge.jsonl", 3 * 1024**3)
    assert import_error(ws, path) == f"{path}: the file is 3 GiB; a .csv or JSONL file can be at most 1 GiB"


def test_a_file_that_grows_past_its_limit_while_read_is_refused(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read stops one byte past the limit whatever the size said (a /proc file says 0)."""
    monkeypatch.setattr(limits, "DATA_FILE_BYTES", 10)
    path = Path("/proc/self/status")
    if not path.exists():
        pytest.skip("no /proc")
    assert path.stat().st_size == 0
    result = ws.importer.import_paths([path], fmt="jsonl")
    error = result.files[0].error
    assert error == f"{path}: the file is over 10 bytes; a .csv or JSONL file can be at most 10 bytes"


def test_a_jsonl_line_over_its_limit_is_refused_naming_it(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "JSONL_LINE_BYTES", 2048)
    path = write_jsonl(tmp_path / "lines.jsonl", [{"text": "short"}, {"text": "x" * 3000}])
    assert import_error(ws, path) == (
        f"{path}, line 2: the line is 2.94 KiB long; one JSONL record can be at most 2 KiB"
    )
    assert counts(ws) == (0, 0, 0)


# --- what messages quote ---------------------------------------------------------------------------


def test_control_characters_from_a_file_are_escaped_in_the_message(ws: Workspace, tmp_path: Path) -> None:
    label = "\x1b]0;pwned\x07"
    path = write_jsonl(
        tmp_path / "t.jsonl",
        [{"text": "abc", "spans": [{"start": 0, "end": 1, "label": label, "annotator": "a"}]}],
    )
    error = import_error(ws, path)
    assert "\x1b" not in error and "\x07" not in error
    assert error == (
        f"{path}, line 1, field 'spans[0].label': must not contain control characters (\\x1b), "
        "found '\\x1b]0;pwned\\x07'"
    )


def test_an_annotator_name_with_control_characters_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """Names are stored and shown everywhere later (terminal tables, the review window)."""
    span = {"start": 0, "end": 1, "label": "framing", "annotator": "eve\x1b[2J"}
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": "abc", "spans": [span]}])
    assert "field 'spans[0].annotator': must not contain control characters (\\x1b)" in import_error(ws, path)
    doccano = write_jsonl(tmp_path / "d.jsonl", [{"text": "abc", "label": [[0, 1, "fram\x9bing"]]}])
    assert "field 'label[0][2]': must not contain control characters (\\x9b)" in import_error(ws, doccano)
    assert counts(ws) == (0, 0, 0)


def test_a_huge_value_makes_a_short_message(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "zeros.jsonl", [{"text": "abc", "label": [[0] * 1_000_000]}])
    error = import_error(ws, path)
    assert error.startswith(
        f"{path}, line 1, field 'label[0]': must be a [start, end, label] triple, got [0, 0"
    )
    assert len(error) < 700


def test_a_file_name_with_control_characters_is_shown_escaped(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2J.txt"
    path.write_text("Some text.", encoding="utf-8")
    report = import_ok(ws, path)
    assert "\x1b" not in report.summary() and "evil\\x1b[2J.txt (txt): 1 new documents" in report.summary()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are always Unicode")
def test_a_file_name_that_is_not_utf8_is_imported_and_shown_escaped(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    path.write_text("Some text.", encoding="utf-8")
    report = import_ok(ws, path)
    assert report.summary().startswith(f"{tmp_path}/caf\\udce9.txt (txt): 1 new documents")
    with ws.db.engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM document")).scalar_one() == "Some text."
        assert conn.execute(text("SELECT uid FROM document")).scalar_one() == "caf\ufffd"


def test_an_annotator_option_with_control_characters_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": "abc", "label": [[0, 1, "framing"]]}])
    with pytest.raises(AnnotatorError, match=r"^'eve\\x1b\[2J' cannot be an annotator name"):
        ws.importer.import_paths([path], annotator="eve\x1b[2J")
    assert counts(ws) == (0, 0, 0)


def test_meta_nested_too_deep_to_store_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """JSON nested 300 levels parses, but cannot be written back as JSON (255 levels)."""
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": "abc", "meta": ' + '{"a": ' * 300 + "1" + "}" * 300 + "}\n", encoding="utf-8")
    assert import_error(ws, path) == f"{path}, line 1, field 'meta': is nested more than 100 levels deep"
    fine = write_jsonl(tmp_path / "fine.jsonl", [{"text": "abc", "meta": {"a": [[{"b": [1]}]]}}])
    import_ok(ws, fine)


def test_nul_in_an_id_or_title_is_refused_naming_the_field(
    ws: Workspace, backend: str, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "nul.jsonl", [{"text": "abc"}, {"id": "x\x00y", "text": "def"}])
    titled = write_jsonl(tmp_path / "title.jsonl", [{"text": "ghi", "title": "a\x00b"}])
    if backend == "sqlite":  # SQLite stores NUL; only PostgreSQL cannot
        import_ok(ws, path, titled)
        return
    assert import_error(ws, path) == (
        f"{path}, line 2, field 'id': contains a NUL character, which PostgreSQL cannot store"
    )
    assert import_error(ws, titled) == (
        f"{titled}, line 1, field 'title': contains a NUL character, which PostgreSQL cannot store"
    )
    assert counts(ws) == (0, 0, 0)


@pytest.mark.parametrize("suffix", [".csv", ".txt", ".jsonl"])
def test_utf16_text_is_named_as_such(ws: Workspace, tmp_path: Path, suffix: str) -> None:
    """Excel's "Unicode text" and Windows Notepad's "Unicode" are UTF-16."""
    path = tmp_path / f"excel{suffix}"
    path.write_bytes("id,text\r\n1,caf\u00e9\r\n".encode("utf-16"))
    assert (
        import_error(ws, path) == f'{path}: this is UTF-16 text; save it as UTF-8 (e.g. "CSV UTF-8" in Excel)'
    )
