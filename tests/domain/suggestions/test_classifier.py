"""The span classifier (scikit-learn token tagger): learns from accepted spans, generalises, exact offsets."""

import random
import sys

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.classifier import SpanClassifier
from annotator.domain.suggestions.model import Rejection, TrainingDocument, TrainingSpan

LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]
METRICS = ["exports", "imports", "trade volumes", "investment flows", "industrial output"]
ACTORS = ["Beijing", "Moscow", "The ministry", "Officials", "Analysts", "Ankara"]


def corpus(n: int, seed: int = 1) -> list[TrainingDocument]:
    """Sentences with an economic outcome ("exports rose 12 percent") and a leverage phrase."""
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        text, spans = "", []
        for _ in range(6):
            text += f"{rng.choice(ACTORS)} said that "
            outcome = f"{rng.choice(METRICS)} {rng.choice(['rose', 'fell'])} {rng.randint(2, 60)} percent"
            spans.append(TrainingSpan(len(text), len(text) + len(outcome), "economic outcome"))
            text += outcome + " last year, while "
            lever = f"threatened new tariffs on {rng.choice(['steel', 'gas', 'wheat', 'coal'])}"
            text += "the government "
            spans.append(TrainingSpan(len(text), len(text) + len(lever), "leverage"))
            text += lever + ". The meeting ended on time. "
        docs.append(TrainingDocument(text, tuple(spans)))
    return docs


@pytest.fixture(scope="module")
def model() -> SpanClassifier:
    m = SpanClassifier(epochs=5)
    m.train(corpus(30))
    return m


def spans_of(m: SpanClassifier, text: str, labels=LABELS) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in m.suggest(text, labels)]


def test_generalises_to_unseen_numbers_and_goods(model):
    text = "Analysts said that exports fell 97 percent last year, while the government threatened new tariffs on rice."
    assert spans_of(model, text) == [
        ("exports fell 97 percent", "economic outcome"),
        ("threatened new tariffs on rice", "leverage"),
    ]
    for s in model.suggest(text, LABELS):
        assert 0.5 < s.score <= 1
        assert s.source == "classifier"
        assert s.version == model.version


@pytest.mark.parametrize(
    "prefix",
    ["\ufeff", "👩\u200d💻🇩🇪 ", "東京の関税。\r\n", "שלום עולם \u200f", "cafe\u0301 𝐀𝐁 "],
)
def test_offsets_are_code_points_in_unicode_texts(model, prefix):
    body = "Officials said that imports rose 33 percent last year.\r\n"
    got = model.suggest(prefix + body, LABELS)
    assert [(s.start, s.end) for s in got] == [(len(prefix) + 20, len(prefix) + 43)]


def test_requested_labels_only_and_rejections(model):
    text = "Moscow said that exports rose 5 percent last year, while the government threatened new tariffs on gas."
    assert spans_of(model, text, labels=["leverage"]) == [("threatened new tariffs on gas", "leverage")]
    m = SpanClassifier(epochs=5)
    m.train(corpus(30), rejections=[Rejection("Threatened new tariffs on GAS", "leverage")])
    assert spans_of(m, text) == [("exports rose 5 percent", "economic outcome")]


def test_untrained_suggests_nothing_and_no_spans_stays_untrained():
    m = SpanClassifier()
    assert m.suggest("exports rose 5 percent", LABELS) == []
    m.train([TrainingDocument("No spans here.", ())])
    assert not m.trained
    assert m.version == "untrained"


def test_progress_reaches_total_and_cancel_keeps_previous_model(model):
    seen = []
    m = SpanClassifier(epochs=3)
    docs = corpus(4)
    m.train(docs, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 7) for i in range(1, 8)]
    before = m.version
    answers = iter([False, False, False, False, False, True])  # cancelled during the second pass
    m.train(corpus(4, seed=2), cancelled=lambda: next(answers, True))
    assert m.version == before


def test_training_is_deterministic():
    a, b = SpanClassifier(epochs=3), SpanClassifier(epochs=3)
    a.train(corpus(5))
    b.train(corpus(5))
    assert a.version == b.version


def test_missing_scikit_learn_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction", None)
    monkeypatch.setitem(sys.modules, "sklearn.linear_model", None)
    with pytest.raises(AnnotatorError, match=r"annotator\[suggest\]"):
        SpanClassifier().train(corpus(1))
