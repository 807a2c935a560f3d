"""Rules for label names, colours and hotkeys, checked before anything is stored."""

from __future__ import annotations

import re

from annotator.domain.errors import AnnotatorError
from annotator.domain.names import clean_display_name

HOTKEYS = "1234567890abcdefghijklmnopqrstuvwxyz"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# A palette with enough contrast under black text, used for new labels in turn.
PALETTE = ["#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#e15759", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"]


class LabelError(AnnotatorError):
    pass


def clean_name(name: str) -> str:
    return clean_display_name(name, "label", LabelError)


def clean_color(color: str) -> str:
    if not _COLOR.match(color):
        raise LabelError(f"'{color}' is not a colour; use #rrggbb")
    return color.lower()


def clean_hotkey(hotkey: str | None) -> str | None:
    if hotkey is None or hotkey == "":
        return None
    key = hotkey.lower()
    if len(key) != 1 or key not in HOTKEYS:
        raise LabelError(f"'{hotkey}' cannot be a hotkey; use one digit 0-9 or letter a-z")
    return key


KINDS = ("span", "document")


def clean_kind(kind: str) -> str:
    if kind not in KINDS:
        raise LabelError(f"'{kind}' is not a kind of label; use span or document")
    return kind


def clean_label_set(name: str) -> str:
    """A document label's group: any name, or empty (the default group)."""
    cleaned = " ".join(name.split())
    return clean_display_name(cleaned, "label set", LabelError) if cleaned else ""
