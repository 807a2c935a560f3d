"""Suggestions computed in a child process, so the desk never shares Python's GIL with a model.

Computed in a worker thread of the GUI process, the phrase recommender's training and matching on a
2 MB document with 20,000 spans held the GIL for seconds, and every Qt call of the GUI thread queued
behind it: opening that document took a median of 18 s instead of 0.2 s (bench_desk.py). Here a
long-lived ``spawn`` child (a fresh interpreter: no Qt, no inherited database handles) opens the same
database, runs a ``SuggestionComputer`` and stores the suggestions itself; the parent only learns
which documents are done.

``ProcessComputer`` has ``SuggestionComputer``'s interface (``compute``, ``use_trained``,
``trained``): the desk's worker thread calls ``compute`` and waits on a queue, which releases the
GIL. A newer request (``cancelled()`` turning true) makes the child stop after its current document.
The child is started on the first request and started again if it died; it ends with the desk
(also when the desk is killed). As with any ``spawn`` child, the child imports the main module
again: a script that opens the desk keeps its work under ``if __name__ == "__main__":`` (the
app's entry points do).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.model import Recommender

_CONTEXT = multiprocessing.get_context("spawn")
POLL_SECONDS = 0.05  # how often a waiting worker thread looks at ``cancelled()``
START_SECONDS = 60.0  # a child that has not opened the database by then is reported


def _exit_with_parent() -> None:
    """End this child when the process that started it ends, however it ended (a desk killed
    with SIGKILL never sends "stop"): a daemon thread waits on the parent's sentinel."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(target: str, kind: str, requests: Any, replies: Any, latest: Any) -> None:
    """The child: open the database, then answer requests until told to stop."""
    _exit_with_parent()
    try:
        from annotator.services.annotations import AnnotationService
        from annotator.services.documents import DocumentService
        from annotator.services.suggestions.compute import SuggestionComputer
        from annotator.services.suggestions.service import SuggestionService
        from annotator.services.suggestions.training_process import make_recommender
        from annotator.store.database import Database

        db = Database.open(target)
        suggestions = SuggestionService(db, AnnotationService(db))
        computer = SuggestionComputer(db, DocumentService(db), suggestions, make_recommender(kind))
    except BaseException as exc:  # the parent must hear why, whatever it was
        replies.put(("failed", 0, f"the suggestion process could not start: {exc}"))
        return
    replies.put(("ready", 0, None))
    while True:
        message = requests.get()
        if message[0] == "stop":
            break
        if message[0] == "use":
            computer.use_trained(pickle.loads(message[1]), message[2])
            continue
        _, request, annotator_id, document_ids, labels = message
        try:
            done = computer.compute(
                annotator_id, document_ids, labels, cancelled=lambda request=request: latest.value != request
            )
        except BaseException as exc:  # reported; the child goes on serving
            replies.put(("failed", request, str(exc)))
        else:
            replies.put(("done", request, done))
    db.engine.dispose()


class ProcessComputer:
    """Computes and stores suggestions in a child process; ``close()`` ends it."""

    def __init__(self, target: str, kind: str = "phrase") -> None:
        self._target = target
        self._kind = kind
        self._trained: dict[str, tuple[Recommender, bool]] = {}
        self._lock = threading.Lock()  # use_trained (GUI thread) vs. starting the child (worker thread)
        self._process: Any = None
        self._requests: Any = None
        self._replies: Any = None
        self._latest: Any = _CONTEXT.Value("q", 0, lock=False)  # (no lock a killed child could leave held)
        self._count = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def running(self) -> bool:
        """Whether the child is alive (as far as this process has noticed)."""
        process = self._process
        return process is not None and process.is_alive()

    def use_trained(self, recommender: Recommender, from_others: bool = False) -> None:
        """Suggest with an already trained recommender too (replacing one of the same name)."""
        with self._lock:
            self._trained = {**self._trained, recommender.name: (recommender, from_others)}
            if self._process is not None:
                self._send_trained(recommender, from_others)

    def trained(self) -> list[Recommender]:
        return [r for r, _ in self._trained.values()]

    def compute(
        self,
        annotator_id: int,
        document_ids: Sequence[int],
        labels: Sequence[str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> list[int]:
        """Suggest and store for each document (in the child); returns the ids done."""
        self._start()
        self._count += 1
        request = self._count
        self._latest.value = request
        self._requests.put(("compute", request, annotator_id, list(document_ids), list(labels)))
        while True:
            kind, number, payload = self._reply(POLL_SECONDS)
            if kind == "waiting":
                if cancelled() and self._latest.value == request:
                    self._latest.value = 0  # the child stops after its current document
                continue
            if number != request:
                continue  # the answer to an earlier request this thread stopped waiting for
            if kind == "failed":
                raise AnnotatorError(f"suggestions could not be computed: {payload}")
            return list(payload)

    def close(self, grace: float = 0.5) -> None:
        """Stop the child: it exits when idle, and is terminated after ``grace`` s if still busy
        (what it was storing is rolled back with its transaction)."""
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        self._latest.value = 0
        self._requests.put(("stop",))
        process.join(timeout=grace)
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
        for channel in (self._requests, self._replies):
            channel.close()
            channel.cancel_join_thread()

    # ----- the child ----------------------------------------------------------------------

    def _start(self) -> None:
        with self._lock:
            if self._process is not None and self._process.is_alive():
                return
            self._requests, self._replies = _CONTEXT.Queue(), _CONTEXT.Queue()
            self._process = _CONTEXT.Process(
                target=_serve,
                args=(self._target, self._kind, self._requests, self._replies, self._latest),
                name=f"annotator-suggest-{self._kind}",
                daemon=True,
            )
            self._process.start()
            for recommender, from_others in self._trained.values():
                self._send_trained(recommender, from_others)
        deadline = time.monotonic() + START_SECONDS
        kind, _, payload = self._reply(POLL_SECONDS)
        while kind == "waiting" and time.monotonic() < deadline:
            kind, _, payload = self._reply(POLL_SECONDS)
        if kind != "ready":
            self.close()
            raise AnnotatorError(payload if kind == "failed" else "the suggestion process did not start")

    def _send_trained(self, recommender: Recommender, from_others: bool) -> None:
        data = pickle.dumps(recommender, protocol=pickle.HIGHEST_PROTOCOL)
        self._requests.put(("use", data, from_others))

    def _reply(self, timeout: float) -> tuple[str, int, Any]:
        """The child's next message, ("waiting", 0, None) after ``timeout`` s, or an error if it died."""
        try:
            return self._replies.get(timeout=timeout)
        except queue.Empty:
            process = self._process
            if process is None or not process.is_alive():
                code = process.exitcode if process is not None else None
                with self._lock:
                    self._process = None
                raise AnnotatorError(
                    f"the suggestion process ended unexpectedly (exit code {code}); it starts again "
                    "with the next document"
                ) from None
            return ("waiting", 0, None)
