"""Safe display of untrusted text in messages: control characters escaped, length bounded."""

from __future__ import annotations

import pytest

from annotator.domain.display import escape_controls, safe_text, shown
from annotator.domain.errors import AnnotatorError
from annotator.domain.labels import LabelError, clean_name
from annotator.domain.records import FormatError

TITLE_ESCAPE = "\x1b]0;pwned\x07"


def test_printable_text_is_unchanged() -> None:
    text = "Putin 😀 met Xi — «deal» 北京 👩\u200d💻"
    assert escape_controls("plain text") == "plain text"
    assert escape_controls(text) == text.replace("\u200d", "\\u200d")


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        (TITLE_ESCAPE, "\\x1b]0;pwned\\x07"),
        ("a\nb\tc\r", "a\\nb\\tc\\r"),
        ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),  # NUL, DEL, the one-byte CSI of C1
        ("\u202eevil", "\\u202eevil"),  # right-to-left override
        ("\u2028", "\\u2028"),
        ("\U000e0001", "\\U000e0001"),  # a tag character (format)
    ],
)
def test_controls_are_escaped(raw: str, escaped: str) -> None:
    assert escape_controls(raw) == escaped


def test_long_text_keeps_head_and_tail_within_the_limit() -> None:
    text = "head" + "x" * 1_000_000 + "tail"
    out = safe_text(text, 200)
    assert out.startswith("head") and out.endswith("tail")
    assert "[1000008 characters in all]" in out
    assert len(out) < 260


def test_escapes_cannot_push_a_message_over_its_limit() -> None:
    out = safe_text("\x1b" * 150, 100)
    assert "\x1b" not in out and len(out) < 150


def test_shown_bounds_a_huge_list_and_a_huge_number() -> None:
    assert shown([0] * 1_000_000) == "[0, 0, 0, 0, 0, 0, 0, 0, ...]"
    assert len(shown(10**5000)) < 130
    assert shown(TITLE_ESCAPE) == "'\\x1b]0;pwned\\x07'"
    assert shown({"a": [1, [2, [3, [4]]]]}) == "{'a': [1, [2, [...]]]}"


def test_every_annotator_error_is_escaped_and_bounded() -> None:
    message = str(AnnotatorError(f"unknown label '{TITLE_ESCAPE}'" + "y" * 100_000))
    assert "\x1b" not in message and "\x07" not in message
    assert message.startswith("unknown label '\\x1b]0;pwned\\x07'")
    assert len(message) < 1_100


def test_format_error_bounds_each_part_so_the_file_stays_in_view() -> None:
    err = FormatError("data\x1b[2J.jsonl", 3, "got " + repr([0] * 1_000_000), "label[0]\x07")
    message = str(err)
    assert message.startswith("data\\x1b[2J.jsonl, line 3, field 'label[0]\\x07': got [0, 0,")
    assert len(message) < 700


def test_label_names_cannot_hold_control_characters() -> None:
    with pytest.raises(LabelError, match=r"control characters \(\\x1b\)"):
        clean_name(TITLE_ESCAPE)
    assert clean_name("  strategic   messaging ") == "strategic messaging"
