"""Words for the status bar and the title bar: counts with the right plural, excerpts whose
invisible characters are named instead of escaped, titles shortened at a word."""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"
# Shown as a visible sign instead of breaking the status line.
_SIGNS = {"\n": "↵", "\r": "↵", "\t": "⇥", "\u2028": "↵", "\u2029": "¶"}
_ZWJ, _VS16 = "\u200d", "\ufe0f"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 span``, ``2 spans``, ``1,200 documents``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def _is_pictographic(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or 0x1F000 <= ord(ch) <= 0x1FAFF


def readable(text: str, limit: int = 60) -> str:
    """``text`` as a person can read it on one line.

    Emoji sequences (joined by ZWJ, with variation selectors or skin tones) are shown as they
    are; line breaks and tabs become a sign; other invisible or control characters are named,
    e.g. ``⟨ZERO WIDTH SPACE⟩``; long texts are cut with an ellipsis.
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _SIGNS:
            out.append(_SIGNS[ch])
            continue
        category = unicodedata.category(ch)
        if category not in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Mn") or (category == "Mn" and i > 0):
            out.append(ch)
            continue
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == _ZWJ and before and after and (_is_pictographic(after) or _is_pictographic(before)):
            out.append(ch)  # part of an emoji sequence: shown as one picture
        elif ch == _VS16 or 0xE0020 <= ord(ch) <= 0xE007F:
            out.append(ch)  # variation selector or flag tag: part of the character before it
        else:
            out.append(f"⟨{unicodedata.name(ch, f'U+{ord(ch):04X}')}⟩")
    shown = "".join(out)
    if len(shown) > limit:
        shown = shown[: limit - 1].rstrip() + ELLIPSIS
    return shown


def quoted(text: str, limit: int = 60) -> str:
    return f"“{readable(text, limit)}”"


def short_title(title: str, limit: int = 70) -> str:
    """A title for the title bar: whole words, no dangling comma, an ellipsis when cut."""
    flat = " ".join(title.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else flat[:limit]
    return cut.rstrip(" ,;:–—-") + ELLIPSIS
