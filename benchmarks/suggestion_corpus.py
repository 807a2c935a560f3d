"""A seeded synthetic news corpus with gold spans for the four default labels (issue #14 measurements).

Run: python benchmarks/suggestion_corpus.py [--documents N] [--seed S]  (prints a sample and the counts)

Sentences follow news patterns about trade and diplomacy. Each labelled phrase is drawn from a lexicon
per label in a recurring form, an inflected form, a different case, or with a varying part (numbers,
countries, commodities), so a phrase memoriser meets both repeats and unseen variants. Unlabelled filler
sentences reuse some of the same words ("trade", "energy", "talks") so that matching is not trivially
exact. Offsets of the gold spans are code points into each document's text.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass

LABELS = ("strategic messaging", "economic outcome", "leverage", "framing")

ACTORS = [
    "Beijing",
    "Moscow",
    "Washington",
    "Brussels",
    "Tokyo",
    "New Delhi",
    "Ankara",
    "Berlin",
    "Canberra",
    "the Kremlin",
    "the White House",
    "the foreign ministry",
    "the commerce ministry",
    "officials",
    "President Xi",
    "President Putin",
    "the prime minister",
    "the delegation",
    "diplomats",
    "analysts",
]
COUNTRIES = ["China", "Russia", "India", "Japan", "Germany", "Turkey", "Brazil", "Australia", "Iran", "Korea"]
GOODS = ["gas", "oil", "rare earths", "soybeans", "semiconductors", "steel", "wheat", "coal", "fertiliser"]
METRICS = [
    "trade volumes",
    "exports",
    "imports",
    "energy exports",
    "bilateral trade",
    "investment flows",
    "GDP growth",
    "industrial output",
    "freight traffic",
    "yuan settlements",
]
UP = ["rose", "grew", "jumped", "climbed", "surged"]
DOWN = ["fell", "dropped", "slowed", "declined", "shrank"]

# label -> phrase makers; {C} a country, {G} a good, {N} a number. Earlier entries recur more often.
LEXICON: dict[str, list[str]] = {  # "label/v": verb phrases, "label/n": noun phrases
    "strategic messaging/v": [
        "reaffirmed strategic trust",
        "reaffirmed their commitment to {C}",
        "signalled unity against sanctions",
        "stressed the strategic partnership",
        "pledged deeper coordination",
        "emphasised shared values",
    ],
    "strategic messaging/n": [
        "a shared vision of a multipolar world",
        "symbolic alignment",
        "a partnership of equals",
        "mutual respect and non-interference",
        "a new era of cooperation",
        "a common stance on security",
    ],
    "economic outcome/n": [
        "{M} {UP} {N} percent",
        "{M} {DOWN} {N} percent",
        "the pipeline deal stalled",
        "no new contracts",
        "record trade",
        "a widening trade surplus",
        "the Power of Siberia 2 pipeline remains unsigned",
        "investment dried up",
        "prices for {G} collapsed",
        "a trade deficit with {C}",
    ],
    "leverage/v": [
        "threatened new tariffs",
        "leveraged its {G} supplies",
        "cut off {G} deliveries",
        "withheld approval",
        "threatened to restrict {G}",
        "imposed export controls on {G}",
    ],
    "leverage/n": [
        "export controls on {G}",
        "sanctions relief",
        "a ban on {G} imports",
        "leverage over {C}",
        "price discounts on {G}",
        "new tariffs on {G}",
    ],
    "framing/n": [
        "a new cold war",
        "a partnership without limits",
        "a zero-sum game",
        "the Global South",
        "a multipolar world order",
        "Western hegemony",
        "a marriage of convenience",
        "the junior partner",
        "an axis of upheaval",
        "a pivot to Asia",
    ],
}

TEMPLATES = [
    "{A} {X:strategic messaging/v} during the visit to {CITY}.",
    "The joint statement spoke of {X:strategic messaging/n}.",
    "{A} said {X:economic outcome/n} in the first half of the year.",
    "According to customs data, {X:economic outcome/n}.",
    "{A} {X:leverage/v} as talks with {C} dragged on.",
    "The talks turned on {X:leverage/n}, according to {A}.",
    "Critics described the relationship as {X:framing/n}.",
    "{A} rejected talk of {X:framing/n} and instead {X:strategic messaging/v}.",
    "Even as {A} {X:strategic messaging/v}, {X:economic outcome/n}.",
    "In {CITY}, {A} {X:leverage/v}, while {X:economic outcome/n}.",
    "Observers called it {X:framing/n}; {A} {X:leverage/v}.",
    "{A} offered {X:leverage/n} in exchange for {X:strategic messaging/n}.",
]
FILLER = [
    "The talks in {CITY} lasted two days.",
    "{A} met business leaders on {DAY}.",
    "Energy and trade were on the agenda.",
    "The visit was the third this year.",
    "{A} declined to comment on the trade talks.",
    "Reporters waited outside the venue in {CITY}.",
    "The statement ran to twelve pages.",
    "Both sides spoke of energy, trade and security.",
    "{A} will travel to {C} next month.",
    "The summit ended without a joint press conference.",
    "Officials in {CITY} said the schedule was tight.",
    "Markets in {C} barely moved on {DAY}.",
]
# Lexicon phrases in a sense that is not labelled (the gold annotation leaves them out): what makes
# precision less than 1 for a memoriser.
NEUTRAL = [
    "Delegates from {P:framing/n} attended the forum in {CITY}.",
    "A seminar titled {P:framing/n} drew few listeners.",
    "The draft mentioned {P:leverage/n} only in a footnote.",
    "{A} asked whether {P:economic outcome/n}, without an answer.",
    "A banner reading {P:strategic messaging/n} hung in the hall.",
]
CITIES = ["Beijing", "Moscow", "Shanghai", "Vladivostok", "Kazan", "Astana", "Geneva", "Delhi"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    spans: tuple[GoldSpan, ...]


def _zipf_choice(rng: random.Random, items: list[str]) -> str:
    weights = [1 / (i + 1) for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _fill(rng: random.Random, pattern: str) -> str:
    out = pattern
    for key, pool in (
        ("{C}", COUNTRIES),
        ("{G}", GOODS),
        ("{M}", METRICS),
        ("{UP}", UP),
        ("{DOWN}", DOWN),
        ("{CITY}", CITIES),
        ("{DAY}", DAYS),
        ("{A}", ACTORS),
    ):
        while key in out:
            out = out.replace(key, rng.choice(pool), 1)
    while "{N}" in out:
        out = out.replace("{N}", str(rng.choice([rng.randint(2, 40), round(rng.uniform(0.5, 9.9), 1)])), 1)
    return out


def _vary(rng: random.Random, phrase: str) -> str:
    """Surface variation an annotator meets: an inflected last word (case varies at sentence starts)."""
    if rng.random() < 0.10:
        words = phrase.split()
        last = words[-1]
        if last.isalpha() and last.islower():
            words[-1] = last[:-1] if last.endswith("s") and not last.endswith("ss") else last + "s"
        return " ".join(words)
    return phrase


def _sentence(rng: random.Random, spans: list[GoldSpan], offset: int) -> str:
    template = rng.choice(TEMPLATES)
    text = ""
    rest = template
    while "{X:" in rest:
        before, _, after = rest.partition("{X:")
        kind, _, rest = after.partition("}")
        label = kind.split("/")[0]
        text += _fill(rng, before)
        phrase = _vary(rng, _fill(rng, _zipf_choice(rng, LEXICON[kind])))
        spans.append(GoldSpan(offset + len(text), offset + len(text) + len(phrase), label))
        text += phrase
    text += _fill(rng, rest)
    return text[:1].upper() + text[1:] if not text[:1].isupper() else text


def _neutral(rng: random.Random) -> str:
    template = rng.choice(NEUTRAL)
    before, _, after = template.partition("{P:")
    kind, _, rest = after.partition("}")
    phrase = _fill(rng, _zipf_choice(rng, LEXICON[kind]))
    text = _fill(rng, before) + phrase + _fill(rng, rest)
    return text[:1].upper() + text[1:]


def make_document(rng: random.Random, doc_id: str, sentences: int) -> Document:
    spans: list[GoldSpan] = []
    text = ""
    for i in range(sentences):
        sep = "" if i == 0 else ("\n\n" if rng.random() < 0.25 else " ")
        text += sep
        r = rng.random()
        if r < 0.08:
            text += _neutral(rng)
        elif r < 0.4:
            filler = _fill(rng, rng.choice(FILLER))
            text += filler[:1].upper() + filler[1:]
        else:
            text += _sentence(rng, spans, len(text))
    return Document(doc_id, text + "\n", tuple(spans))


def make_corpus(documents: int = 400, seed: int = 14, sentences: tuple[int, int] = (8, 20)) -> list[Document]:
    rng = random.Random(seed)
    return [make_document(rng, f"news-{i:04d}", rng.randint(*sentences)) for i in range(documents)]


def split(corpus: list[Document], held_out: float = 0.25) -> tuple[list[Document], list[Document]]:
    """(training, held-out) by document: the last quarter is held out."""
    cut = int(len(corpus) * (1 - held_out))
    return corpus[:cut], corpus[cut:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    corpus = make_corpus(args.documents, args.seed)
    for d in corpus:
        for s in d.spans:
            assert d.text[s.start : s.end].strip() == d.text[s.start : s.end], (d.id, s)
    print(corpus[0].text[:600])
    for s in corpus[0].spans[:6]:
        print(f"  {s.label:20} {corpus[0].text[s.start : s.end]!r}")
    counts = {label: sum(1 for d in corpus for s in d.spans if s.label == label) for label in LABELS}
    size = sum(len(d.text) for d in corpus)
    print(f"{len(corpus)} documents, {size:,} characters, spans per label: {counts}")


if __name__ == "__main__":
    main()
