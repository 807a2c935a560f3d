"""The documents whose exports are saved in tests/data/export_golden: the offset-breaking samples and
seeded random documents mixing scripts, spaces, line breaks and overlapping spans."""

from __future__ import annotations

import random

from annotator.domain.records import DocumentRecord, SpanRecord
from tests.domain.format_samples import all_records

_PIECES = [
    "Putin", "met", "Xi", "don't", "'quoted'", "習近平", "東京", "👨‍👩‍👧‍👦", "🇺🇦", "👍🏽", "Cafe\u0301",
    "שָׁלוֹם", "«السلام»", "#️⃣", "3.5%", "—", "\u200b", "\ufeff", "a\u0308\u0301",
]  # fmt: skip
_GAPS = [" ", " ", " ", "  ", "\n", "\r\n", "\t", "\u2028", "\n\n", "\u3000", ""]


def random_record(rng: random.Random, number: int) -> DocumentRecord:
    parts = []
    for _ in range(rng.randint(1, 120)):
        parts += [rng.choice(_PIECES), rng.choice(_GAPS)]
    text = "".join(parts)
    spans = []
    for _ in range(rng.randint(0, 30)):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randint(1, 40))
        spans.append(
            SpanRecord(
                start, end, rng.choice(["PER", "LOC", "strategic messaging"]), rng.choice(["alice", "bob"])
            )
        )
    status = {name: "done" for name in ("alice", "carol") if rng.random() < 0.5}
    return DocumentRecord(f"random-{number}", text, f"Random {number}", {"n": number}, spans, status)  # type: ignore[arg-type]


def golden_records() -> list[DocumentRecord]:
    rng = random.Random(16)
    blank = [DocumentRecord("blank", "   \n ", status={"alice": "done"}), DocumentRecord("space", " ")]
    return [*all_records(), *blank, *(random_record(rng, n) for n in range(24))]
