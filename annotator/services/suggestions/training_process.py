"""Training a recommender in a separate process, so neither the GUI nor its threads ever wait on it.

``TrainingProcess`` starts a ``spawn`` process (a fresh interpreter: no Qt state, no open database
handles inherited) that builds the recommender of the given kind, trains it on the documents and sends
back ``("progress", done, total)`` messages and, at the end, the pickled recommender, or a failure or a
cancellation. ``cancel()`` asks the child to stop at its next check (after a document or a pass);
``stop()`` waits a little and then terminates it. ``train_in_process`` wraps it as one blocking call for a
worker thread (ui/background.run_with_progress): its ``progress`` callback may raise
``services.importing.Cancelled`` to stop the training.

The retraining setting lives here too: ``retrain_every(settings)`` (``suggestions.retrain_every``).
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
from collections.abc import Callable, Sequence
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.model import Recommender, Rejection, TrainingDocument
from annotator.domain.suggestions.retrain import parse_every
from annotator.services.importing import Cancelled

KINDS = ("phrase", "classifier")
SETTING = "suggestions.retrain_every"
_CONTEXT = multiprocessing.get_context("spawn")


class TrainingCancelled(AnnotatorError):
    def __init__(self) -> None:
        super().__init__("training cancelled; the previous model stays in use")


def make_recommender(kind: str) -> Recommender:
    if kind == "phrase":
        from annotator.domain.suggestions.phrase import PhraseRecommender

        return PhraseRecommender()
    if kind == "classifier":
        from annotator.domain.suggestions.classifier import SpanClassifier

        return SpanClassifier()
    raise AnnotatorError(f"unknown recommender {kind!r}; known: {', '.join(KINDS)}")


def retrain_every(settings: Any) -> int:
    """New spans between automatic retrainings, from the user's settings (0: only on request)."""
    return parse_every(settings.get(SETTING))


def _train_in_child(
    kind: str,
    documents: Sequence[TrainingDocument],
    rejections: Sequence[Rejection],
    messages: Any,
    cancel: Any,
) -> None:
    """The child process: train and report; never raises (the parent reads what happened)."""
    try:
        recommender = make_recommender(kind)
        recommender.train(
            documents,
            rejections,
            progress=lambda done, total: messages.put(("progress", done, total)),
            cancelled=cancel.is_set,
        )
        if cancel.is_set():
            messages.put(("cancelled",))
        else:
            messages.put(("done", pickle.dumps(recommender, protocol=pickle.HIGHEST_PROTOCOL)))
    except AnnotatorError as exc:
        messages.put(("failed", str(exc)))
    except BaseException as exc:  # the parent must hear of any end, even a MemoryError
        messages.put(("failed", f"unexpected error while training {kind}: {exc!r}"))


class TrainingProcess:
    """One training run in a child process; read its state with ``poll``."""

    def __init__(
        self, kind: str, documents: Sequence[TrainingDocument], rejections: Sequence[Rejection] = ()
    ) -> None:
        if kind not in KINDS:
            raise AnnotatorError(f"unknown recommender {kind!r}; known: {', '.join(KINDS)}")
        self.kind = kind
        self.state = "running"  # then "done", "cancelled" or "failed"
        self.done = 0
        self.total = 0
        self.result: Recommender | None = None
        self.error: str | None = None
        self._messages = _CONTEXT.Queue()
        self._cancel = _CONTEXT.Event()
        self._process = _CONTEXT.Process(
            target=_train_in_child,
            args=(kind, list(documents), list(rejections), self._messages, self._cancel),
            name=f"annotator-train-{kind}",
            daemon=True,
        )
        self._process.start()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def finished(self) -> bool:
        return self.state != "running"

    def poll(self, timeout: float = 0.0) -> bool:
        """Read what the child sent (waiting up to ``timeout`` s for the first message); True when finished."""
        wait = timeout
        while not self.finished:
            try:
                message = self._messages.get(timeout=wait) if wait > 0 else self._messages.get_nowait()
            except queue.Empty:
                if not self._process.is_alive() and self._messages.empty():
                    self._end(
                        "failed",
                        error=f"the training process ended unexpectedly (exit code {self._process.exitcode})",
                    )
                break
            wait = 0
            self._read(message)
        return self.finished

    def _read(self, message: tuple) -> None:
        if message[0] == "progress":
            self.done, self.total = message[1], message[2]
        elif message[0] == "done":
            self._end("done", result=pickle.loads(message[1]))
        elif message[0] == "cancelled":
            self._end("cancelled")
        else:
            self._end("failed", error=message[1])

    def _end(self, state: str, result: Recommender | None = None, error: str | None = None) -> None:
        self.state, self.result, self.error = state, result, error
        self._process.join(timeout=5)

    def cancel(self) -> None:
        """Ask the child to stop at its next check; it keeps nothing."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> str:
        """Block until finished (or ``timeout`` s); the state."""
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.poll(0.1):
            if deadline is not None and time.monotonic() >= deadline:
                break
        return self.state

    def stop(self, grace: float = 3.0) -> None:
        """Cancel, wait up to ``grace`` s, then terminate the child if it still runs."""
        if not self.finished:
            self.cancel()
            self.wait(grace)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        if not self.finished:
            self.state = "cancelled"
        self._messages.close()
        self._messages.cancel_join_thread()


def train_in_process(
    kind: str,
    documents: Sequence[TrainingDocument],
    rejections: Sequence[Rejection] = (),
    progress: Callable[[int, int], None] | None = None,
    poll_seconds: float = 0.1,
    started: Callable[[TrainingProcess], None] | None = None,
) -> Recommender:
    """Train in a child process and return the trained recommender; blocks the calling (worker) thread.

    ``progress(done, total)`` is called at least every ``poll_seconds``; when it raises ``Cancelled``
    the child is stopped and ``TrainingCancelled`` raised. ``started(run)`` sees the run (its pid)."""
    run = TrainingProcess(kind, documents, rejections)
    try:
        if started is not None:
            started(run)
        while not run.poll(poll_seconds):
            if progress is not None:
                progress(run.done, run.total)
    except Cancelled:
        raise TrainingCancelled() from None
    finally:
        run.stop()
    if run.state == "done" and run.result is not None:
        return run.result
    if run.state == "cancelled":
        raise TrainingCancelled()
    raise AnnotatorError(f"training the {kind} recommender failed: {run.error}")
