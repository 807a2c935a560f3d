"""UTF-16 <-> code point offsets, checked against Python's own UTF-16 encoder on hard texts."""

from __future__ import annotations

import pytest

from annotator.domain.formats.offsets import astral_positions, from_utf16, read_offsets, to_utf16
from annotator.domain.records import FormatError
from tests.domain.format_samples import TEXTS

EXTRA = {"astral_letters": "𝐀𝐁c 𝔘𝔫𝔦 😀\r\n👍🏽x", "firetrucks": "👨🏻‍🚒 firemen drive firetrucks 🇺🇦 at work"}


def utf16_of(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


@pytest.mark.parametrize("text", [*TEXTS.values(), *EXTRA.values()], ids=[*TEXTS, *EXTRA])
def test_every_boundary_converts_both_ways(text: str) -> None:
    astral = astral_positions(text)
    inside = set()
    for cp in range(len(text) + 1):
        unit = utf16_of(text, cp)
        assert to_utf16(cp, astral) == unit
        assert from_utf16(unit, astral) == cp
        if cp < len(text) and ord(text[cp]) > 0xFFFF:
            inside.add(unit + 1)
    for unit in inside:
        assert from_utf16(unit, astral) is None


def test_read_offsets_names_the_field_and_the_option() -> None:
    text = EXTRA["firetrucks"]
    start16 = utf16_of(text, text.index("firetrucks"))
    start, end = read_offsets(start16, start16 + 10, text, astral_positions(text), "utf16", "f", 3, "s", "e")
    assert text[start:end] == "firetrucks"
    with pytest.raises(FormatError, match=r"f, line 3, field 'e': UTF-16 offset 1 falls inside"):
        read_offsets(0, 1, text, astral_positions(text), "utf16", "f", 3, "s", "e")
