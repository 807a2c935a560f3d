"""Seeded corpora for the scale benchmarks (issue 16): a many-document project and one huge document.

Both are native JSONL, written a line at a time (the generator itself stays small in memory).
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson

LABELS = ["PER", "ORG", "LOC", "MISC"]
ANNOTATORS = ["alice", "bob", "carol"]
# Words of several scripts, so offsets cross multi-byte characters (and one astral emoji).
WORDS = [
    "the",
    "president",
    "visit",
    "talks",
    "sanctions",
    "economy",
    "growth",
    "oil",
    "gas",
    "pipeline",
    "minister",
    "said",
    "would",
    "Moscow",
    "Beijing",
    "Washington",
    "leverage",
    "deal",
    "trade",
    "market",
    "inflation",
    "summit",
    "café",
    "naïve",
    "北京",
    "東京",
    "😀",
    "Ελλάδα",
    "שלום",
]


def _tokens(rng: random.Random, count: int) -> tuple[str, list[tuple[int, int]]]:
    tokens = [rng.choice(WORDS) for _ in range(count)]
    bounds, pos = [], 0
    for tok in tokens:
        bounds.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    return " ".join(tokens), bounds


def _spans(rng: random.Random, bounds: list[tuple[int, int]], count: int) -> list[dict[str, object]]:
    """count distinct spans on token boundaries, one or two tokens long, for the three annotators."""
    spans = []
    for i in sorted(rng.sample(range(len(bounds) - 1), count)):
        end = bounds[i + rng.randint(0, 1)][1]
        spans.append(
            {
                "start": bounds[i][0],
                "end": end,
                "label": rng.choice(LABELS),
                "annotator": ANNOTATORS[len(spans) % len(ANNOTATORS)],
            }
        )
    return spans


def write_project(path: Path, documents: int, spans_per_document: int = 10, words: int = 80) -> int:
    """documents records of about `words` words with spans_per_document spans each; returns the
    number of spans."""
    rng = random.Random(16)
    total = 0
    with path.open("wb") as out:
        for d in range(documents):
            text, bounds = _tokens(rng, words)
            spans = _spans(rng, bounds, spans_per_document)
            total += len(spans)
            status = {a: "done" for a in ANNOTATORS}
            record = {"id": f"doc-{d}", "text": text, "spans": spans, "status": status}
            out.write(orjson.dumps(record) + b"\n")
    return total


def write_huge_document(path: Path, megabytes: float = 20, spans: int = 200_000) -> int:
    """One document of about `megabytes` MB of UTF-8 text, in paragraphs, with `spans` spans."""
    rng = random.Random(20)
    target = int(megabytes * 1_000_000)
    words = max(spans + 2, target // 7)  # ~7 bytes a word with its space
    text, bounds = _tokens(rng, words)
    # Paragraphs: every 120th separating space becomes a newline.
    chars = list(text)
    for i in range(120, len(bounds), 120):
        chars[bounds[i][0] - 1] = "\n"
    text = "".join(chars)
    record = {"id": "huge", "text": text, "spans": _spans(rng, bounds, spans), "status": {"alice": "done"}}
    path.write_bytes(orjson.dumps(record) + b"\n")
    return spans
