"""Searching document text for what a person types in the document filter.

A needle matches as a case-insensitive substring, the same rule the database applies with
``LIKE``/``ILIKE`` over its search index (migration 0009). Offsets are code points into the stored
text (DESIGN.md section 4), so a hit inside emoji, CJK or right-to-left text lands where it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import product

INDEXED_NEEDLE = 3  # a trigram index answers needles this long; shorter ones are looked for row by row


def searches_text(needle: str) -> bool:
    """Whether the needle is looked for in document text: any needle, "税" as well as "関税法"."""
    return bool(needle.strip())


def indexed(needle: str) -> bool:
    """Whether the trigram indexes (migration 0009) can answer the needle: three code points or more."""
    return len(needle.strip()) >= INDEXED_NEEDLE


def case_variants(needle: str) -> list[str]:
    """Every spelling of a short needle in other cases ("of": of, oF, Of, OF; "税": 税; "é": é, É),
    so a case-insensitive search can be made of exact substring tests (``instr``, ``strpos``)
    instead of folding the case of every text. Only one-character case mappings count (the
    upper case of "ß" is "SS": "ß" is looked for as it is)."""
    options = [
        sorted({x for x in (c, c.lower(), c.upper(), c.title(), c.swapcase()) if len(x) == 1}) for c in needle
    ]
    return ["".join(spelling) for spelling in product(*options)]


def case_class_regex(needle: str) -> str:
    """A PostgreSQL regular expression that finds the needle in any case in one pass: a bracket
    of its spellings for each character that has several ("of": [Oo][Ff]), other characters
    literally (escaped unless letters or digits)."""
    parts = []
    for c in needle:
        spellings = case_variants(c)
        if len(spellings) > 1:
            parts.append("[" + "".join(spellings) + "]")
        else:
            parts.append(c if c.isalnum() else "\\" + c)
    return "".join(parts)


def like_pattern(needle: str) -> str:
    r"""``%needle%`` for ``LIKE ... ESCAPE '\'``, with the needle's own % _ \ taken literally."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@lru_cache(maxsize=32)
def _compiled(needle: str) -> re.Pattern[str]:
    return re.compile(re.escape(needle), re.IGNORECASE)


def matches(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """(start, end) code point offsets of each non-overlapping match of ``needle`` in ``text``."""
    needle = needle.strip()
    if not searches_text(needle):
        return
    for found in _compiled(needle).finditer(text):
        yield found.start(), found.end()


def first_match(text: str, needle: str) -> tuple[int, int] | None:
    return next(matches(text, needle), None)


def count_matches(text: str, needle: str) -> int:
    needle = needle.strip()
    if not searches_text(needle):
        return 0
    return sum(1 for _ in _compiled(needle).finditer(text))
