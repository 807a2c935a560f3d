"""The Label Studio ML backend client against a real backend process (tests/.../ml_backend_server.py)."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator

import pytest

from annotator.services.suggestions.ml_backend import BackendError, Document, MLBackend, label_config
from tests.services.suggestions import ml_backend_server

LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]


@pytest.fixture
def ml_backend() -> Iterator[Callable[..., str]]:
    """Starts the backend in a child process; gives its URL; stops it after the test."""
    started: list[subprocess.Popen] = []

    def start(*keywords: str, mode: str = "ok") -> str:
        proc, url = ml_backend_server.start(*keywords, mode=mode)
        started.append(proc)
        return url

    yield start
    for proc in started:
        proc.terminate()
        proc.wait(10)


def found(result, documents):
    texts = {d.id: d.text for d in documents}
    return {
        doc_id: [(texts[doc_id][s.start : s.end], s.label, s.score) for s in sugg]
        for doc_id, sugg in result.items()
    }


DOCS = [
    Document("plain", "New tariffs and more tariffs."),
    Document("emoji", "👩‍💻🇩🇪 Tariffs 😀 hit; tariffs."),
    Document("cjk", "関税 tariffs\r\n\ufeffשלום tariffs"),
    Document("none", "Nothing to see."),
]


@pytest.mark.parametrize("mode", ["ok", "codepoints", "predictions-key", "bare-list"])
def test_predictions_become_code_point_suggestions(ml_backend, mode):
    url = ml_backend("tariffs=leverage", mode=mode)
    client = MLBackend(url, timeout=10)
    assert client.health()["status"] == "UP"
    result = client.predict(DOCS, LABELS)
    assert found(result, DOCS) == {
        "plain": [("tariffs", "leverage", 0.8), ("tariffs", "leverage", 0.8)],
        "emoji": [("Tariffs", "leverage", 0.8), ("tariffs", "leverage", 0.8)],
        "cjk": [("tariffs", "leverage", 0.8), ("tariffs", "leverage", 0.8)],
        "none": [],
    }
    s = result["plain"][0]
    assert (s.source, s.version) == ("ml-backend", "kw-1")


def test_utf16_offsets_without_region_text_are_read_as_label_studio_counts(ml_backend):
    url = ml_backend("tariffs=leverage", mode="no-text")
    result = MLBackend(url).predict(DOCS[1:2], LABELS)
    assert found(result, DOCS[1:2])["emoji"] == [("Tariffs", "leverage", 0.8), ("tariffs", "leverage", 0.8)]
    # Told they are code points, the last one runs past the end of the text: refused, not misplaced.
    with pytest.raises(
        BackendError, match=r"result\[1\]: \[26, 33\) is not inside the text \(codepoints length 29\)"
    ):
        MLBackend(url, offsets="codepoints").predict(DOCS[1:2], LABELS)


def test_batches_and_progress(ml_backend):
    url = ml_backend("tariffs=leverage")
    docs = [Document(f"d{i}", f"doc {i}: tariffs") for i in range(7)]
    seen = []
    result = MLBackend(url, batch=3).predict(docs, LABELS, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(3, 7), (6, 7), (7, 7)]
    assert [len(result[d.id]) for d in docs] == [1] * 7


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("not-json", r"answer to POST http://127\.0\.0\.1:\d+/predict is not JSON"),
        ("http-500", r"answered 500 Internal Server Error to POST .*/predict: .*CUDA out of memory"),
        (
            "unknown-label",
            r"task 1 \(document 'plain'\), result\[0\], field 'value.labels': 'leverage\?' is not a label of this project",
        ),
        ("out-of-range", r"result\[0\]: \[10004, 10011\) is not inside the text \(codepoints length 29\)"),
        ("too-few", r"answered 3 predictions for 4 tasks"),
        ("bad-score", r"result\[0\], field 'score' must be a number between 0 and 1, got 1.7"),
    ],
)
def test_bad_answers_are_clear_errors(ml_backend, mode, message):
    url = ml_backend("tariffs=leverage", mode=mode)
    with pytest.raises(BackendError, match=message):
        MLBackend(url).predict(DOCS, LABELS)


def test_an_answer_too_large_is_refused(ml_backend):
    url = ml_backend("tariffs=leverage")
    with pytest.raises(BackendError, match=r"answer to POST .*/predict is larger than 200 bytes"):
        MLBackend(url, max_answer_bytes=200).predict(DOCS, LABELS)


def test_slow_backend_times_out(ml_backend):
    url = ml_backend("tariffs=leverage", mode="slow")
    with pytest.raises(BackendError, match=r"did not answer POST .*/predict within 0.5 s"):
        MLBackend(url, timeout=0.5).predict(DOCS[:1], LABELS)


def test_backend_that_is_not_up(ml_backend):
    with pytest.raises(BackendError, match=r"is not ready: /health answered .*DOWN"):
        MLBackend(ml_backend(mode="down")).health()


def test_unreachable_backend():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    with pytest.raises(
        BackendError, match=rf"cannot reach the ML backend at http://127.0.0.1:{port}: .*refused"
    ):
        MLBackend(f"http://127.0.0.1:{port}", timeout=5).health()


def test_bad_url_and_offsets_option():
    with pytest.raises(BackendError, match="must start with http:// or https://"):
        MLBackend("localhost:9090")
    with pytest.raises(BackendError, match="offsets must be auto, utf16 or codepoints"):
        MLBackend("http://localhost:9090", offsets="bytes")  # type: ignore[arg-type]


def test_label_config_escapes_label_names():
    config = label_config(['say "no" & <go>', "framing"])
    assert '<Label value="say &quot;no&quot; &amp; &lt;go&gt;"/>' in config
    assert config.startswith('<View><Labels name="label" toName="text">')
    assert config.endswith('<Text name="text" value="$text"/></View>')
