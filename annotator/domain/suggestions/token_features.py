"""Features of a token for the span classifier: the word, its shape, affixes and its neighbours."""

from __future__ import annotations

import re
from functools import lru_cache

from annotator.domain.suggestions.inflection import stem

_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def shape(word: str) -> str:
    """``Beijing`` -> ``Xx``, ``18.5`` -> ``d.d``, ``U.S.`` -> ``X.X.``: letters, digits, the rest as is."""
    out = []
    for ch in word:
        if ch.isdigit():
            out.append("d")
        elif ch.isupper():
            out.append("X")
        elif ch.isalpha():
            out.append("x")
        else:
            out.append(ch)
    return _RUNS.sub(r"\1", "".join(out))


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[str, ...]:
    low = word.lower()
    return (f"w={low}", f"s={shape(word)}", f"p={low[:3]}", f"x={low[-3:]}", f"st={stem(low)}")


def token_features(words: list[str]) -> list[list[str]]:
    """One list of feature strings per token of a text."""
    lows = [w.lower() for w in words]
    shapes = [shape(w) for w in words]
    n = len(words)
    out = []
    for i in range(n):
        f = list(_word(words[i]))
        p1 = lows[i - 1] if i > 0 else "<s>"
        p2 = lows[i - 2] if i > 1 else "<s>"
        n1 = lows[i + 1] if i + 1 < n else "</s>"
        n2 = lows[i + 2] if i + 2 < n else "</s>"
        f += (
            "bias",
            f"w-1={p1}",
            f"w-2={p2}",
            f"w+1={n1}",
            f"w+2={n2}",
            f"b-1={p1}|{lows[i]}",
            f"b+1={lows[i]}|{n1}",
            f"s-1={shapes[i - 1] if i > 0 else '<s>'}",
            f"s+1={shapes[i + 1] if i + 1 < n else '</s>'}",
        )
        out.append(f)
    return out
