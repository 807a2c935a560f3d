"""Speed of the phrase recommender (issue #14): suggestions for a 2 MB document in <= 200 ms.

Run: python benchmarks/bench_suggestions.py
Trains the phrase recommender on the sample article with 300 learned phrases (its words and word pairs,
spread over the four default labels), then prints the median time of ``suggest`` over 2 MB texts: the
sample article repeated (English with curly quotes, so not ASCII), the same as pure ASCII, and the same
with CRLF line ends and CJK and emoji mixed in. Also the time to train and the number of suggestions.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from annotator.domain.suggestions.model import TrainingDocument, TrainingSpan
from annotator.domain.suggestions.phrase import PhraseRecommender

REPEATS = 7
SIZE = 2_000_000
LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]
ARTICLE = (Path(__file__).resolve().parent.parent / "resources" / "sample-article.txt").read_text("utf-8")


def training_document(text: str, phrases: int, seed: int = 7) -> TrainingDocument:
    rng = random.Random(seed)
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", text)]
    spans: dict[tuple[int, int], TrainingSpan] = {}
    while len(spans) < phrases:
        i = rng.randrange(len(words) - 2)
        n = rng.choice((1, 2, 2, 3))
        start, end = words[i][0], words[i + n - 1][1]
        spans[(start, end)] = TrainingSpan(start, end, rng.choice(LABELS))
    return TrainingDocument(text, tuple(spans.values()))


def two_megabytes(piece: str) -> str:
    return (piece * (SIZE // len(piece) + 1))[:SIZE]


def median_ms(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    corpus = two_megabytes(ARTICLE)
    train_doc = training_document(corpus[:200_000], 300)
    recommender = PhraseRecommender()
    t_train = median_ms(lambda: recommender.train([train_doc]), repeats=3)
    print(
        f"train on 200 KB with {len(train_doc.spans)} spans ({len(recommender.phrases())} phrases): {t_train:.0f} ms"
    )
    texts = {
        "sample article x N (non-ASCII)": corpus,
        "same, pure ASCII": two_megabytes(ARTICLE.encode("ascii", "replace").decode("ascii")),
        "CRLF + CJK + emoji mixed in": two_megabytes(ARTICLE.replace("\n", "\r\n") + " 東京の関税 👩‍💻 🇩🇪 "),
    }
    for name, text in texts.items():
        assert len(text) == SIZE
        n = len(recommender.suggest(text, LABELS))
        ms = median_ms(lambda text=text: recommender.suggest(text, LABELS))
        verdict = "ok" if ms <= 200 else "OVER 200 ms"
        print(f"suggest, 2 MB, {name}: median {ms:.0f} ms ({n} suggestions) [{verdict}]")


if __name__ == "__main__":
    main()
