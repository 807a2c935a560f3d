"""Status and title texts: plurals, invisible characters named, emoji shown whole, titles cut at words."""

from __future__ import annotations

import pytest

from annotator.ui.desk.status_text import plural, quoted, readable, short_title


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 spans"), (1, "1 span"), (2, "2 spans"), (1200, "1,200 spans")]
)
def test_plural(count: int, expected: str) -> None:
    assert plural(count, "span") == expected


def test_emoji_sequences_are_shown_as_they_are() -> None:
    family = "👩\u200d👩\u200d👧"
    assert readable(f"a {family} b") == f"a {family} b"
    assert "\\u" not in quoted(f"x {family}")
    assert readable("❤\ufe0f") == "❤\ufe0f"
    assert readable("cafe\u0301") == "cafe\u0301"


def test_invisible_characters_are_named() -> None:
    assert readable("a\u200bb") == "a⟨ZERO WIDTH SPACE⟩b"
    assert readable("x\u200dy") == "x⟨ZERO WIDTH JOINER⟩y"
    assert readable("line\nnext\tcol") == "line↵next⇥col"
    assert readable("\x07") == "⟨U+0007⟩"


def test_long_text_is_cut() -> None:
    shown = readable("word " * 40, limit=20)
    assert len(shown) == 20 and shown.endswith("…")


def test_title_is_cut_at_a_word_without_a_stray_comma() -> None:
    title = (
        "Putin’s latest visit highlights strategic messaging between Beijing and Moscow, "
        "while key energy and trade agreements fail to materialize"
    )
    shown = short_title(title, 80)
    assert shown == "Putin’s latest visit highlights strategic messaging between Beijing and Moscow…"
    assert short_title("Short title") == "Short title"
    assert not short_title("a" * 200).endswith(",…")
