"""Plain-text inputs: .txt and .md (one document per file) and .csv (one document per row).

Plain-text imports normalise what the person never meant as content: a UTF-8 byte order mark is
stripped and CRLF / CR line ends become LF (DESIGN.md section 4). Text inside JSONL is never touched.
"""

from __future__ import annotations

import codecs
import csv
import io

from annotator.domain.formats import limits
from annotator.domain.records import DocumentRecord, FormatError

TITLE_MAX = 200


def check_text_file(data: bytes, path: str) -> None:
    """Refuse empty and binary files with a message naming them."""
    if not data or data.isspace():
        raise FormatError(path, None, "the file is empty")
    check_text_head(data[:8192], path)


def check_text_head(data: bytes, path: str) -> None:
    """Refuse binary files by their first 8 KiB (an empty file is refused once it is read)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FormatError(path, None, 'this is UTF-16 text; save it as UTF-8 (e.g. "CSV UTF-8" in Excel)')
    if b"\x00" in data[:8192]:
        raise FormatError(path, None, "this is a binary file, not UTF-8 text")


def decode_utf8(data: bytes, path: str) -> str:
    """Decode a text file, refusing binary, non-UTF-8 and empty files with a message naming them."""
    check_text_file(data, path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FormatError(
            path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    return text


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def title_from(text: str, fallback: str) -> str:
    for line in text.splitlines():
        stripped = line.strip().lstrip("#").strip()
        if stripped:
            return stripped[:TITLE_MAX]
    return fallback


def parse_text_file(data: bytes, path: str, stem: str) -> DocumentRecord:
    text = normalise_newlines(decode_utf8(data, path))
    if not text.strip():
        raise FormatError(path, None, "the file has no text")
    return DocumentRecord(uid=None, text=text, title=title_from(text, stem), meta={"source": stem})


def parse_csv(data: bytes, path: str) -> list[tuple[int, DocumentRecord]]:
    """(line where the row starts, record) for each row. Strict CSV: a quote that is never closed, or
    text after a closing quote, is refused naming the line where that row starts (a lenient reader
    would swallow every later row into one field and report success)."""
    text = decode_utf8(data, path)
    csv.field_size_limit(limits.CSV_FIELD_CHARS)  # Python's default, 131,072, is one long article
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    row_start = 1
    try:
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        if "text" not in fields:
            raise FormatError(
                path, 1, f"the header has no 'text' column (found: {', '.join(fields) or 'nothing'})"
            )
        reader.fieldnames = fields
        records = []
        row_start = reader.reader.line_num + 1
        for row in reader:
            line, row_start = row_start, reader.reader.line_num + 1
            if None in row:
                raise FormatError(
                    path,
                    line,
                    f"the row has {len(fields) + len(row[None])} fields; the header has {len(fields)}",
                )
            body = normalise_newlines(row.get("text") or "")
            if not body.strip():
                raise FormatError(path, line, "is empty", "text")
            uid = (row.get("id") or "").strip() or None
            title = (row.get("title") or "").strip() or title_from(body, uid or f"row {line}")
            records.append((line, DocumentRecord(uid=uid, text=body, title=title)))
    except csv.Error as exc:
        raise FormatError(path, row_start, _csv_problem(str(exc), reader.reader.line_num)) from None
    if not records:
        raise FormatError(path, None, "the file has a header but no rows")
    return records


def _csv_problem(error: str, last_line: int) -> str:
    if "unexpected end of data" in error:
        return f"a quoted field in the row starting here is never closed (the file ends at line {last_line})"
    if "field larger than field limit" in error:
        return f"a field is longer than {limits.CSV_FIELD_CHARS:,} characters, the limit for one document"
    if "expected after" in error:
        return f'text follows a closing quote on line {last_line} (a quote inside a quoted field is written twice: "")'
    return f"not valid CSV ({error})"
