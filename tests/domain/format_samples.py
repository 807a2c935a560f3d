"""Documents with the text that breaks offset code: CRLF, emoji, combining marks, CJK, RTL, BOM, U+2028."""

from __future__ import annotations

from annotator.domain.records import DocumentRecord, SpanRecord

TEXTS: dict[str, str] = {
    "crlf": "Putin met Xi.\r\nThe visit was framed as strategic.\r\n\r\nEnd of story.\r\n",
    "emoji": (
        "Family 👨‍👩‍👧‍👦 waves 🇺🇦🇺🇸 flags, thumbs 👍🏽 up, 🏴\U000e0067\U000e0062\U000e0073\U000e0063"
        "\U000e0074\U000e007f Scotland, ❤️‍🔥 love, keycap #️⃣ and 1️⃣."
    ),
    "combining": "Cafe\u0301 déjà vu: Zoë's naïve re\u0301sume\u0301 and a\u0308\u0301 stack.",
    "cjk": "習近平は東京で会談した。中国经济增长放缓。한국어 문장도 있다.",
    "rtl": "قال الرئيس: «السلام» اليوم. שָׁלוֹם עולם, צה״ל אמר.",
    "bom": "\ufeffLeading BOM, then text.",
    "u2028": "First line\u2028second line\u2029third  line\twith\ttabs\x85end.",
    "blank_lines": "Para one.\n\n\n\nPara two.\n\n\n\n\n",
}

# (document, substring, label): spans found by substring, so offsets are right by construction.
SPAN_TEXTS: dict[str, list[tuple[str, str]]] = {
    "crlf": [
        ("Putin", "strategic messaging"),
        ("The visit", "framing"),
        ("strategic.\r\n\r\nEnd", "leverage"),  # crosses CRLF line breaks
    ],
    "emoji": [
        ("👨‍👩‍👧‍👦", "framing"),
        ("🇺🇦🇺🇸 flags", "leverage"),
        ("thumbs 👍🏽", "economic outcome"),
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland", "framing"),
        ("❤️‍🔥", "leverage"),
    ],
    "combining": [("Cafe\u0301", "framing"), ("Zoë's naïve", "leverage"), ("a\u0308\u0301", "framing")],
    "cjk": [("習近平", "strategic messaging"), ("東京", "framing"), ("经济增长", "economic outcome")],
    "rtl": [("«السلام»", "framing"), ("שָׁלוֹם עולם", "leverage"), ("צה״ל", "framing")],
    "bom": [("Leading BOM", "framing")],
    "u2028": [("line\u2028second", "framing"), ("third  line", "leverage"), ("tabs\x85end", "framing")],
    "blank_lines": [("one.\n\n\n\nPara", "framing")],
}


def record(name: str, annotator: str = "alice") -> DocumentRecord:
    text = TEXTS[name]
    spans = []
    for needle, label in SPAN_TEXTS[name]:
        start = text.index(needle)
        spans.append(SpanRecord(start, start + len(needle), label, annotator))
    return DocumentRecord(uid=f"doc-{name}", text=text, title=name, spans=spans)


def all_records() -> list[DocumentRecord]:
    return [record(name) for name in TEXTS]
