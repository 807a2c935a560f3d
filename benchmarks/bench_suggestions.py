"""Speed of the phrase recommender (issue #14): suggestions for a 2 MB document in <= 200 ms.

Run: python benchmarks/bench_suggestions.py
Trains the phrase recommender on the training split of the synthetic corpus (benchmarks/suggestion_corpus.py,
about 3,400 gold spans), then prints the median time of ``suggest`` over 2 MB texts: the held-out news
repeated (one labelled phrase every ~70 characters, so ~30,000 suggestions: a dense worst case for a
real document), the same with CRLF, curly quotes, CJK and emoji (UTF-16/UTF-32 paths of the text map),
and the sample article repeated (few matches: the floor of one pass).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suggestion_corpus import LABELS, make_corpus, split

from annotator.domain.suggestions.model import TrainingDocument, TrainingSpan
from annotator.domain.suggestions.phrase import PhraseRecommender

REPEATS = 7
SIZE = 2_000_000
ARTICLE = (Path(__file__).resolve().parent.parent / "resources" / "sample-article.txt").read_text("utf-8")


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
    train, held_out = split(make_corpus(400))
    documents = [
        TrainingDocument(d.text, tuple(TrainingSpan(s.start, s.end, s.label) for s in d.spans)) for d in train
    ]
    spans = sum(len(d.spans) for d in documents)
    recommender = PhraseRecommender()
    t_train = median_ms(lambda: recommender.train(documents), repeats=3)
    print(
        f"train: {len(documents)} documents, {spans} spans -> {len(recommender.phrases())} phrases: median {t_train:.0f} ms"
    )
    news = "\n\n".join(d.text for d in held_out)
    texts = {
        "held-out news (ASCII)": two_megabytes(news),
        "held-out news with curly quotes, CRLF, CJK, emoji": two_megabytes(
            news.replace("\n", "\r\n").replace("'", "\u2019") + " 東京の関税 👩\u200d💻 🇩🇪 "
        ),
        "sample article repeated (no learned phrases)": two_megabytes(ARTICLE),
    }
    for name, text in texts.items():
        assert len(text) == SIZE
        n = len(recommender.suggest(text, LABELS))
        ms = median_ms(lambda text=text: recommender.suggest(text, LABELS))
        verdict = "ok" if ms <= 200 else "OVER 200 ms"
        print(f"suggest, 2 MB, {name}: median {ms:.0f} ms, {n:,} suggestions [{verdict}]")


if __name__ == "__main__":
    main()
