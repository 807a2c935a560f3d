"""snap_selection: trimmed, whole words, whole graphemes."""

from __future__ import annotations

import pytest

from annotator.domain.span_edit import is_grapheme_boundary, snap_selection


def snap(text: str, sub_start: int, sub_end: int, words: bool = True, trim: bool = True) -> str | None:
    result = snap_selection(text, sub_start, sub_end, snap_words=words, trim_whitespace=trim)
    return None if result is None else text[result[0] : result[1]]


def test_trims_whitespace() -> None:
    text = "one  two\u00a0\n three"
    assert snap(text, 3, 10, words=False) == "two"


def test_whitespace_only_or_empty_is_none() -> None:
    assert snap("a \t\n b", 1, 5) is None
    assert snap("abc", 2, 2) is None
    assert snap_selection("", 0, 0, snap_words=True, trim_whitespace=True) is None


def test_reversed_and_out_of_range_bounds() -> None:
    assert snap("hello world", 20, 6) == "world"


def test_expands_to_whole_words() -> None:
    text = "concrete economic breakthroughs"
    i = text.index("conomic")
    assert snap(text, i, i + 4) == "economic"
    assert snap(text, i, i + 4, words=False) == "cono"


def test_word_boundary_edges_do_not_move() -> None:
    text = "key energy, trade"
    assert snap(text, 4, 11) == "energy,"


@pytest.mark.parametrize("word", ["Putin’s", "don't", "long-term", "naïve", "Cafe\u0301s"])
def test_apostrophes_hyphens_and_marks_stay_inside_words(word: str) -> None:
    text = f"the {word} end"
    start = text.index(word)
    assert snap(text, start + 1, start + 2) == word


def test_trailing_apostrophe_is_not_part_of_the_word() -> None:
    text = "the 'quoted' word"
    assert snap(text, 6, 7) == "quoted"


def test_combining_mark_never_split() -> None:
    text = "cafe\u0301 x"
    assert snap(text, 0, 4, words=False) == "cafe\u0301"
    assert snap(text, 4, 5, words=False) == "e\u0301"


@pytest.mark.parametrize(
    "cluster",
    ["👩‍👩‍👧", "🇯🇵", "❤️", "👍🏽", "1️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"],
)
def test_emoji_clusters_never_split(cluster: str) -> None:
    text = f"a {cluster} b"
    start = 2
    for inner in range(start + 1, start + len(cluster)):
        assert snap(text, start, inner, words=False) == cluster
        assert snap(text, inner, start + len(cluster), words=False) == cluster


def test_flag_pairs_count_from_the_run_start() -> None:
    text = "🇯🇵🇺🇸"
    assert not is_grapheme_boundary(text, 1)
    assert is_grapheme_boundary(text, 2)
    assert not is_grapheme_boundary(text, 3)
    assert snap(text, 2, 3, words=False) == "🇺🇸"


def test_crlf_is_one_grapheme() -> None:
    assert not is_grapheme_boundary("a\r\nb", 2)


def test_cjk_and_rtl_words() -> None:
    text = "中文文本 שלום עולם"
    assert snap(text, 1, 2) == "中文文本"
    i = text.index("לו")
    assert snap(text, i, i + 1) == "שלום"
