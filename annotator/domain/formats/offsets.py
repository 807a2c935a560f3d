"""Offsets other tools write: Unicode code points (Python) or UTF-16 code units (JavaScript).

Stored offsets are code points (DESIGN.md section 4). A tool whose front end runs in a browser
measures text with JavaScript's ``String.length``, which counts a character outside the Basic
Multilingual Plane (an emoji, an astral letter) as two units, so after such a character its
offsets run ahead of the code point offsets. These helpers convert exactly, and say when an
offset cannot be a UTF-16 offset (it falls between the two halves of a surrogate pair).

Text without astral characters counts the same both ways, so the conversions are free there.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Literal

from annotator.domain.records import FormatError

OffsetUnit = Literal["codepoints", "utf16"]
UNITS: tuple[OffsetUnit, ...] = ("codepoints", "utf16")


def astral_positions(text: str) -> list[int]:
    """Code point indexes of the characters outside the BMP, in order ([] for most texts)."""
    if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return []
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def utf16_length(text: str, astral: list[int] | None = None) -> int:
    astral = astral_positions(text) if astral is None else astral
    return len(text) + len(astral)


def to_utf16(offset: int, astral: list[int]) -> int:
    """The UTF-16 offset of code point offset ``offset``."""
    return offset + bisect_left(astral, offset) if astral else offset


def from_utf16(offset: int, astral: list[int]) -> int | None:
    """The code point offset of UTF-16 offset ``offset``; None when it falls inside a surrogate pair."""
    if not astral:
        return offset
    # The astral character at code point a starts at UTF-16 unit a + (number of astral chars before it).
    lo, hi = 0, len(astral)
    while lo < hi:  # how many astral characters start before UTF-16 unit `offset`
        mid = (lo + hi) // 2
        if astral[mid] + mid < offset:
            lo = mid + 1
        else:
            hi = mid
    if lo and astral[lo - 1] + lo - 1 + 1 == offset:
        return None  # between the two units of the pair that starts one unit earlier
    return offset - lo


def read_offsets(
    start: object,
    end: object,
    text: str,
    astral: list[int],
    unit: OffsetUnit,
    path: str,
    line: int | None,
    start_field: str,
    end_field: str,
) -> tuple[int, int]:
    """A span's code point offsets from a file that counts in ``unit``; FormatError naming the field
    when they are not integers, not in the text, or fall inside a surrogate pair."""
    n = len(text)
    limit = n + len(astral) if unit == "utf16" else n
    for value, name in ((start, start_field), (end, end_field)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise FormatError(path, line, f"must be an integer offset, got {value!r}", name)
        if value < 0:
            raise FormatError(path, line, f"must not be negative, got {value}", name)
        if value > limit:
            hint = ""
            if unit == "codepoints" and astral and value <= n + len(astral):
                hint = (
                    "; the text has characters outside the BMP and the offset fits if it counts"
                    " UTF-16 code units: import with --offsets utf16"
                )
            what = "UTF-16 length" if unit == "utf16" else "length"
            raise FormatError(path, line, f"{value} is past the end of the text ({what} {limit}){hint}", name)
    assert isinstance(start, int) and isinstance(end, int)
    if unit == "utf16" and astral:
        converted: list[int] = []
        for value, name in ((start, start_field), (end, end_field)):
            cp = from_utf16(value, astral)
            if cp is None:
                raise FormatError(
                    path,
                    line,
                    f"UTF-16 offset {value} falls inside the surrogate pair of "
                    f"{text[from_utf16(value - 1, astral) or 0]!r}; if the file counts code points, "
                    "import with --offsets codepoints",
                    name,
                )
            converted.append(cp)
        start, end = converted
    if start >= end:
        raise FormatError(path, line, f"start {start} must be less than end {end}", start_field)
    return start, end


def check_span_text(
    given: object,
    start: int,
    end: int,
    raw: tuple[int, int],
    text: str,
    astral: list[int],
    unit: OffsetUnit,
    path: str,
    line: int | None,
    field_name: str,
) -> None:
    """The file's span text must be ``text[start:end]``; when it would match counted the other way,
    the message says which ``--offsets`` to use."""
    if given == text[start:end]:
        return
    hint = ""
    if astral:
        other: OffsetUnit = "codepoints" if unit == "utf16" else "utf16"
        try:
            s, e = read_offsets(*raw, text, astral, other, path, line, "", "")
        except FormatError:
            s = e = -1
        if s >= 0 and text[s:e] == given:
            hint = f"; the offsets fit if they count {other}: import with --offsets {other}"
    raise FormatError(
        path,
        line,
        f"is {given!r} but the offsets [{raw[0]}, {raw[1]}) select {text[start:end]!r}{hint}",
        field_name,
    )
