"""Plain-text inputs: .txt and .md (one document per file) and .csv (one document per row).

Plain-text imports normalise what the person never meant as content: a UTF-8 byte order mark is
stripped and CRLF / CR line ends become LF (DESIGN.md section 4). Text inside JSONL is never touched.
"""

from __future__ import annotations

import csv
import io

from annotator.domain.records import DocumentRecord, FormatError

TITLE_MAX = 200


def check_text_file(data: bytes, path: str) -> None:
    """Refuse empty and binary files with a message naming them."""
    if not data or data.isspace():
        raise FormatError(path, None, "the file is empty")
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


def parse_csv(data: bytes, path: str) -> list[DocumentRecord]:
    text = decode_utf8(data, path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "text" not in fields:
        raise FormatError(
            path, 1, f"the header has no 'text' column (found: {', '.join(fields) or 'nothing'})"
        )
    reader.fieldnames = fields
    records = []
    for row in reader:
        line = reader.line_num
        body = normalise_newlines(row.get("text") or "")
        if not body.strip():
            raise FormatError(path, line, "is empty", "text")
        uid = (row.get("id") or "").strip() or None
        title = (row.get("title") or "").strip() or title_from(body, uid or f"row {line}")
        records.append(DocumentRecord(uid=uid, text=body, title=title))
    if not records:
        raise FormatError(path, None, "the file has a header but no rows")
    return records
