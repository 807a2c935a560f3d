"""Training in a real child process (spawn): result, progress, cancel, failures, a killed child."""

import os
import signal
import time

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.classifier import SpanClassifier
from annotator.domain.suggestions.model import TrainingDocument, TrainingSpan
from annotator.domain.suggestions.phrase import PhraseRecommender
from annotator.services.importing import Cancelled
from annotator.services.settings import Settings
from annotator.services.suggestions.training_process import (
    SETTING,
    TrainingCancelled,
    TrainingProcess,
    retrain_every,
    train_in_process,
)
from tests.services.suggestions.training_data import training_documents

LABELS = ["economic outcome", "leverage"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); its state in /proc says it is gone
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(")")[-1].split()[0] not in ("Z", "X")


def test_phrase_recommender_trained_in_a_child_process():
    docs = training_documents(3)
    seen = []
    result = train_in_process("phrase", docs, progress=lambda done, total: seen.append((done, total)))
    assert isinstance(result, PhraseRecommender)
    text = "Analysts say the government threatened new tariffs on steel."
    assert [(text[s.start : s.end], s.label) for s in result.suggest(text, LABELS)] == [
        ("threatened new tariffs on steel", "leverage")
    ]
    assert all(total in (0, 6) for _, total in seen)


def test_classifier_trained_in_a_child_process_reports_progress():
    run = TrainingProcess("classifier", training_documents(20))
    totals = set()
    while not run.poll(0.05):
        totals.add((run.done, run.total))
    assert run.state == "done", run.error
    assert run.done == run.total == 20 + SpanClassifier().epochs
    assert isinstance(run.result, SpanClassifier)
    assert run.result.trained
    assert not alive(run.pid)


def test_cancel_stops_the_child_and_keeps_nothing():
    run = TrainingProcess("classifier", training_documents(400, sentences=10))
    while run.done == 0:  # wait until it is really working
        run.poll(0.05)
        assert not run.finished, run.error
    started = time.monotonic()
    run.cancel()
    assert run.wait(30) == "cancelled"
    assert time.monotonic() - started < 30
    assert run.result is None
    run.stop()
    assert not alive(run.pid)


def test_progress_raising_cancelled_stops_training_in_process():
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) >= 3:
            raise Cancelled()

    with pytest.raises(TrainingCancelled, match="previous model stays"):
        train_in_process("classifier", training_documents(400, sentences=10), progress=progress)


def test_failure_in_the_child_is_a_clear_error():
    bad = [TrainingDocument(None, (TrainingSpan(0, 1, "leverage"),))]  # type: ignore[arg-type]
    with pytest.raises(AnnotatorError, match=r"training the phrase recommender failed: unexpected error"):
        train_in_process("phrase", bad)


def test_a_killed_child_is_reported_not_waited_for():
    run = TrainingProcess("classifier", training_documents(400, sentences=10))
    while run.done == 0:
        run.poll(0.05)
    os.kill(run.pid, signal.SIGKILL)
    assert run.wait(30) == "failed"
    assert "ended unexpectedly (exit code -9)" in run.error
    run.stop()


def test_unknown_kind_refused_before_starting():
    with pytest.raises(AnnotatorError, match="unknown recommender 'bert'; known: phrase, classifier"):
        TrainingProcess("bert", [])


def test_retrain_setting(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    assert retrain_every(settings) == 50
    settings.set(SETTING, 200)
    assert retrain_every(Settings(tmp_path / "settings.json")) == 200
    for bad in (-1, "10", 2.5, True, None):
        settings.set(SETTING, bad)
        assert retrain_every(settings) == 50
