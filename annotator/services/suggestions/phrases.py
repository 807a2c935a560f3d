"""How a rejected phrase is remembered: case-folded, whitespace collapsed, so "Gas  Deal" rejected
once is not proposed again as "gas deal" elsewhere."""

from __future__ import annotations


def phrase_key(text: str) -> str:
    return " ".join(text.split()).casefold()
