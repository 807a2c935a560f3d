"""TextMapping against the contract in DESIGN.md section 4, without Qt."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest

from annotator.domain.text_mapping import TextMapping

TRICKY = [
    "a",
    "b",
    " ",
    "\r\n",
    "\r",
    "\n",
    "\u2028",
    "\u2029",
    "😀",
    "e\u0301",
    "中",
    "ש",
    "م",
    "𝐀",
    "\ufeff",
    "\t",
]


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("text", "py_len", "qt_len"),
    [("ab\r\ncd", 6, 5), ("a😀b", 3, 4), ("\ufeffab", 3, 2)],
)
def test_design_table(text: str, py_len: int, qt_len: int) -> None:
    m = TextMapping(text)
    assert len(text) == py_len
    assert m.qt_length == qt_len == utf16_len(m.display_text)


def test_display_text_strips_leading_boms_and_crlf_only() -> None:
    m = TextMapping("\ufeff\ufeffa\r\nb\rc\ufeffd\u2028e")
    assert m.display_text == "a\nb\rc\ufeffd\u2028e"


def test_every_character_lands_on_itself() -> None:
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 30)))
        m = TextMapping(text)
        units = m.display_text.encode("utf-16-le")
        assert m.qt_length == len(units) // 2
        leading = len(text) - len(text.lstrip("\ufeff"))
        for i, ch in enumerate(text):
            if i < leading or (ch == "\r" and text[i + 1 : i + 2] == "\n"):
                continue  # not shown by Qt
            q = m.to_qt(i)
            assert units[2 * q : 2 * q + len(ch.encode("utf-16-le"))] == ch.encode("utf-16-le")
            after_cr = ch == "\n" and i > 0 and text[i - 1] == "\r"
            # A CRLF break is one Qt position: both of its edges include the \r.
            assert m.to_cp_start(q) == (i - 1 if after_cr else i)
            # An end at Qt position 0 stays before any leading BOM.
            assert m.to_cp_end(q) == (0 if q == 0 else i - 1 if after_cr else i)


def test_selection_edges_at_crlf() -> None:
    text = "ab\r\ncd"
    m = TextMapping(text)
    # Qt: a=0 b=1 break=2 c=3 d=4
    assert text[slice(*m.to_cp_range(0, 2))] == "ab"  # ends before the break: no \r
    assert text[slice(*m.to_cp_range(0, 3))] == "ab\r\n"  # ends after it: the whole \r\n
    assert text[slice(*m.to_cp_range(2, 5))] == "\r\ncd"  # starts at it: includes the \r
    assert text[slice(*m.to_cp_range(3, 5))] == "cd"


def test_selection_from_document_start_skips_bom() -> None:
    text = "\ufeffab"
    m = TextMapping(text)
    assert m.to_cp_range(0, 2) == (1, 3)
    assert m.to_cp_range(0, 0) == (1, 1)


def test_positions_inside_a_surrogate_pair_take_the_whole_character() -> None:
    text = "a😀b"
    m = TextMapping(text)
    assert m.to_cp_start(2) == 1
    assert m.to_cp_end(2) == 2


def test_out_of_range_is_clamped() -> None:
    m = TextMapping("abc")
    assert m.to_qt(-5) == 0
    assert m.to_qt(99) == 3
    assert m.to_cp_start(99) == 3
    assert m.to_cp_end(-1) == 0


def test_empty_text() -> None:
    m = TextMapping("")
    assert m.display_text == ""
    assert m.qt_length == 0
    assert m.to_qt(0) == 0
    assert m.to_cp_range(0, 0) == (0, 0)


def test_to_qt_many_matches_scalar() -> None:
    text = "\ufeffx😀\r\ny𝐀z"
    m = TextMapping(text)
    cps = np.arange(len(text) + 1)
    assert m.to_qt_many(cps).tolist() == [m.to_qt(int(i)) for i in cps]


def test_two_megabytes_build_fast() -> None:
    para = "Putin’s visit 😀 highlights strategic messaging between Beijing and Moscow.\r\n"
    text = para * (2_000_000 // len(para))
    TextMapping(text)  # warm up
    t0 = time.perf_counter()
    m = TextMapping(text)
    elapsed = time.perf_counter() - t0
    assert m.qt_length == utf16_len(m.display_text)
    assert elapsed < 0.1, f"building the mapping took {elapsed * 1000:.0f} ms"
