"""How much of a file an import reads: every reader is bounded before it knows the file is acceptable.

A file over its limit is refused with a message that names the limit, before it is read. The limits
are far above real collections (the sample article is 9 kB; 10 MB of text with 200,000 spans is the
largest document the viewer is measured on, DESIGN.md section 8) and far below what exhausts memory.
"""

from __future__ import annotations

MIB = 1024 * 1024

TEXT_FILE_BYTES = 64 * MIB
"""A .txt or .md file is one document: at most 64 MiB."""

DATA_FILE_BYTES = 1024 * MIB
"""A .csv or JSONL file (many documents): at most 1 GiB."""

JSONL_LINE_BYTES = 128 * MIB
"""One JSONL record (a document's text and all its spans): at most 128 MiB."""

CSV_FIELD_CHARS = TEXT_FILE_BYTES
"""One CSV field (a document's text): at most 64 Mi characters."""

META_DEPTH = 100
"""``meta`` (any JSON) nested at most 100 levels deep: the store writes it as JSON again, and its
writer stops at 255 levels (the reader allows 1,024)."""


def nested_deeper_than(value: object, depth: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``depth`` levels."""
    if isinstance(value, dict):
        value = list(value.values())
    elif not isinstance(value, list):
        return False
    if depth <= 0:
        return True
    return any(nested_deeper_than(item, depth - 1) for item in value if isinstance(item, (dict, list)))


def describe(size: int) -> str:
    """A byte count for messages: '64 MiB', '1.5 GiB', '300 bytes'."""
    if size >= 1024 * MIB:
        return f"{size / (1024 * MIB):.3g} GiB"
    if size >= MIB:
        return f"{size / MIB:.3g} MiB"
    if size >= 1024:
        return f"{size / 1024:.3g} KiB"
    return f"{size} bytes"
