"""The desk's models beyond the phrase recommender: the span classifier and an external ML backend.

Suggestions › Train classifier… opens the training dialog on this annotator's training data
(services gather_training). The trained classifier joins the background computation beside the phrase
recommender (source ``classifier``, its own version), and is pickled into the app data folder, one file
per database and annotator, so it is back the next time the desk opens. Once trained, every
``suggestions.retrain_every`` new spans (setting; default 50, 0 = only on request) it is retrained in
the background with no window. Without scikit-learn the entry says how to install the extra.

Suggestions › Connect external model… checks a Label Studio ML backend and remembers its URL in the
settings (``suggestions.ml_backend``). While connected, a worker thread of its own asks the backend for
the current and the next documents and stores the answers under the backend's name; an error is a
message in the status bar and the desk goes on.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.retrain import should_retrain
from annotator.services.suggestions.from_backend import BackendComputer, BackendSuggester
from annotator.services.suggestions.ml_backend import MLBackend
from annotator.services.suggestions.saved_models import SavedModel, load_model, model_path, save_model
from annotator.services.suggestions.training import gather_training
from annotator.services.suggestions.training_process import retrain_every
from annotator.ui.actions import make_action
from annotator.ui.suggestions.background import QUEUED, BackgroundSuggestions
from annotator.ui.suggestions.connect_model_dialog import ConnectModelDialog, wait_for_checks
from annotator.ui.suggestions.retrain_job import RetrainJob
from annotator.ui.suggestions.training_dialog import TrainingDialog

if TYPE_CHECKING:
    from annotator.services.suggestions.compute import SuggestionComputer
    from annotator.ui.suggestions.controller import SuggestionController

BACKEND_KEY = "suggestions.ml_backend"
BACKEND_TIMEOUT = 8.0  # s per request from the desk (the worker thread waits, nobody else)
INSTALL_HINT = "pip install 'annotator[suggest]'"


def sklearn_installed() -> bool:
    return importlib.util.find_spec("sklearn") is not None


class ModelControl(QObject):
    def __init__(self, controller: SuggestionController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.workspace = controller.window.workspace
        self.annotator = controller.desk.annotator
        self.computer: SuggestionComputer | None = (
            controller.background.worker.computer if controller.background is not None else None  # type: ignore[assignment]
        )
        self.classifier: SavedModel | None = None
        self.new_spans = 0
        self.retrain: RetrainJob | None = None
        self.dialog: TrainingDialog | None = None
        self.backend: BackgroundSuggestions | None = None
        self.backend_source: str | None = None
        self.path = model_path(
            self.window.settings.path.parent, "classifier", self.workspace.location, self.annotator.name
        )
        self._build_menu()
        self._load_classifier()
        saved = self.window.settings.get(BACKEND_KEY)
        if isinstance(saved, dict) and isinstance(saved.get("url"), str) and saved.get("source"):
            self._start_backend(saved["url"], str(saved["source"]))
        controller.desk.spanAdded.connect(self._span_added)

    def _build_menu(self) -> None:
        w, m = self.window, self.controller.menu
        m.addSeparator()
        text = "&Train classifier…" if sklearn_installed() else f"&Train classifier… (needs {INSTALL_HINT})"
        self.train_action = make_action(w, m, text, self.train)
        self.connect_action = make_action(w, m, "&Connect external model…", self.open_connect)

    # ----- the classifier ---------------------------------------------------------------

    def train(self) -> None:
        if not sklearn_installed():
            self.window.show_refusal(f"The span classifier needs scikit-learn: {INSTALL_HINT}")
            return
        if self.computer is None:
            self.window.show_refusal(
                "Suggestions are not computed on this installation (pyahocorasick missing)"
            )
            return
        if self.dialog is not None and self.dialog.running:
            self.dialog.raise_()
            return
        try:
            data = gather_training(self.workspace.db, self.annotator.id)
        except AnnotatorError as exc:
            self.window.show_refusal(f"Training data could not be read: {exc}")
            return
        spans = sum(len(d.spans) for d in data.documents)
        if spans == 0:
            self.window.show_refusal("Nothing to learn from yet: make or accept a few spans first.")
            return
        self.dialog = TrainingDialog("classifier", data.documents, data.rejections, parent=self.window)
        self.dialog.trained.connect(lambda rec: self._use(SavedModel(rec, spans, data.used_others)))
        self.dialog.start()

    def _load_classifier(self) -> None:
        if self.computer is None or not sklearn_installed():
            return
        model, problem = load_model(self.path)
        if problem:
            self.window.show_refusal(problem)
        if model is not None:
            self.classifier = model
            self.computer.use_trained(model.recommender, model.from_others)

    def _use(self, model: SavedModel, *, saved: str = "") -> None:
        assert self.computer is not None
        self.classifier = model
        self.new_spans = 0
        self.computer.use_trained(model.recommender, model.from_others)
        try:
            save_model(self.path, model)
        except OSError as exc:
            saved = f" (kept for this session only: {exc})"
        self.window.show_message(
            f"Span classifier trained on {model.spans:,} spans (version {model.recommender.version}){saved}"
        )
        self._recompute()

    def _span_added(self, _span: Any) -> None:
        if self.classifier is None or self.retrain is not None:
            return
        self.new_spans += 1
        every = retrain_every(self.window.settings)
        base = self.classifier.spans
        if should_retrain(base + self.new_spans, base, every):
            self.retrain = RetrainJob(self.workspace.db, self.annotator.id)
            self.retrain.done.connect(self._retrained)
            self.retrain.failed.connect(self._retrain_failed)

    @Slot(object)
    def _retrained(self, model: object) -> None:
        self.retrain = None
        if isinstance(model, SavedModel):
            self._use(model)

    @Slot(str)
    def _retrain_failed(self, message: str) -> None:
        self.retrain = None
        self.new_spans = 0  # try again after another N spans
        self.window.show_refusal(f"The span classifier could not be retrained: {message}")

    def _recompute(self) -> None:
        doc = self.controller.desk.document
        if doc is not None:
            self.controller._compute_ahead(doc.id)

    # ----- the external model -----------------------------------------------------------

    def open_connect(self) -> None:
        saved = self.window.settings.get(BACKEND_KEY)
        url = saved.get("url", "") if isinstance(saved, dict) else ""
        labels = [label.name for label in self.controller.desk.active_labels()]
        dialog = ConnectModelDialog(url, labels, self.backend is not None, parent=self.window)
        dialog.connected.connect(self._connected)
        dialog.disconnected.connect(self._disconnected)
        dialog.open()

    @Slot(str, str)
    def _connected(self, url: str, source: str) -> None:
        self.window.settings.set(BACKEND_KEY, {"url": url, "source": source})
        self._start_backend(url, source)
        self.window.show_message(
            f"Connected to {source} at {url}: its suggestions are computed in the background"
        )
        self._recompute()

    @Slot()
    def _disconnected(self) -> None:
        self.window.settings.set(BACKEND_KEY, None)
        self._stop_backend()
        self.window.show_message("External model disconnected")

    def _start_backend(self, url: str, source: str) -> None:
        self._stop_backend()
        try:
            backend = MLBackend(url, timeout=BACKEND_TIMEOUT)
        except AnnotatorError as exc:
            self.window.show_refusal(f"External model: {exc}")
            return
        ws = self.workspace
        computer = BackendComputer(BackendSuggester(ws.documents, ws.suggestions, backend, source))
        self.backend = BackgroundSuggestions(computer, name="ml-backend")
        self.backend_source = source
        self.backend.worker.computed.connect(self.controller._computed, QUEUED)
        self.backend.worker.failed.connect(self._backend_failed, QUEUED)

    def _stop_backend(self) -> None:
        if self.backend is not None:
            self.backend.stop()
            self.backend = None

    @Slot(str)
    def _backend_failed(self, message: str) -> None:
        self.window.show_refusal(f"External model {self.backend_source}: {message}")

    def request(self, annotator_id: int, document_ids: list[int], labels: list[str]) -> None:
        if self.backend is not None:
            self.backend.request(annotator_id, document_ids, labels)

    def shutdown(self) -> None:
        self._stop_backend()
        if self.retrain is not None:
            self.retrain.stop()
            self.retrain = None
        if self.dialog is not None and self.dialog.running:
            self.dialog._stop_for_quit()  # cancels the child and waits for the thread
        wait_for_checks()
