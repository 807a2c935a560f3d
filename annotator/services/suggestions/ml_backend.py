"""A client for the Label Studio ML backend protocol: point the app at a model someone already runs.

The protocol (label-studio-ml): ``GET /health`` answers ``{"status": "UP", ...}``; ``POST /predict`` takes
``{"tasks": [{"id": .., "data": {"text": ..}}], "label_config": "<View>…"}`` and answers one prediction per
task, as ``{"results": [...]}`` (``"predictions"`` and a bare list are accepted too). A prediction is
``{"result": [region, ...], "score": s, "model_version": v}``; a text region is
``{"type": "labels", "value": {"start": a, "end": b, "labels": [name], "text": ...}, "score": s}``.

Label Studio measures text in JavaScript string offsets (UTF-16 code units), a Python backend often in
code points; they differ after an emoji or another character outside the BMP. ``offsets="auto"`` uses the
region's ``text`` to tell which one the backend counts (and assumes UTF-16, Label Studio's own unit, when
a region has no text); ``"utf16"`` or ``"codepoints"`` say it outright. Offsets become code points
(DESIGN.md section 4).

Everything that can go wrong says what and where: a backend that cannot be reached or does not answer
in time, an HTTP error, an answer that is not JSON or not of this shape, offsets outside the text, a
label this project does not have, a score outside [0, 1]. A bad answer gives no suggestions at all.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from annotator.domain.errors import AnnotatorError
from annotator.domain.formats.labelstudio import FROM_NAME, TO_NAME, quoteattr
from annotator.domain.formats.offsets import astral_positions, from_utf16
from annotator.domain.suggestions.model import Suggestion

OffsetMode = Literal["auto", "utf16", "codepoints"]
SOURCE = "ml-backend"


class BackendError(AnnotatorError):
    pass


def label_config(labels: Sequence[str]) -> str:
    """The labeling config a backend receives: one Labels tag with this project's labels over the Text."""
    items = "".join(f"<Label value={quoteattr(name)}/>" for name in labels)
    return (
        f'<View><Labels name="{FROM_NAME}" toName="{TO_NAME}">{items}</Labels>'
        f'<Text name="{TO_NAME}" value="$text"/></View>'
    )


@dataclass(frozen=True)
class Document:
    """What is sent for one task: an id the answer is matched by, and the text."""

    id: str
    text: str


@dataclass
class MLBackend:
    url: str
    timeout: float = 30.0
    offsets: OffsetMode = "auto"
    source: str = SOURCE
    batch: int = 16  # tasks per POST /predict
    max_answer_bytes: int = 256 * 1024 * 1024  # a runaway answer is refused, not read into memory

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise BackendError(f"the ML backend URL must start with http:// or https://, got {self.url!r}")
        if self.offsets not in ("auto", "utf16", "codepoints"):
            raise BackendError(f"offsets must be auto, utf16 or codepoints, got {self.offsets!r}")

    # --- HTTP -------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        where = f"{method} {self.url}{path}"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read(self.max_answer_bytes + 1)
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").strip()
            raise BackendError(
                f"the ML backend answered {exc.code} {exc.reason} to {where}: {detail}"
            ) from None
        except TimeoutError:
            raise BackendError(f"the ML backend did not answer {where} within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise BackendError(
                    f"the ML backend did not answer {where} within {self.timeout:g} s"
                ) from None
            raise BackendError(f"cannot reach the ML backend at {self.url}: {exc.reason}") from None
        except (ConnectionError, OSError) as exc:
            raise BackendError(f"cannot reach the ML backend at {self.url}: {exc}") from None
        if len(raw) > self.max_answer_bytes:
            raise BackendError(
                f"the ML backend's answer to {where} is larger than {self.max_answer_bytes:,} bytes"
            )
        try:
            return json.loads(raw)
        except ValueError as exc:
            snippet = raw[:80].decode("utf-8", "replace")
            raise BackendError(
                f"the ML backend's answer to {where} is not JSON ({exc}): {snippet!r}"
            ) from None

    def health(self) -> dict[str, Any]:
        """``GET /health``; BackendError unless the backend says it is UP."""
        answer = self._call("GET", "/health")
        if not isinstance(answer, dict) or str(answer.get("status", "")).upper() != "UP":
            raise BackendError(f"the ML backend at {self.url} is not ready: /health answered {answer!r:.200}")
        return answer

    # --- predictions ------------------------------------------------------------------------------------

    def predict(
        self,
        documents: Sequence[Document],
        labels: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, list[Suggestion]]:
        """Suggestions per document id, from ``POST /predict`` in batches of ``batch`` tasks."""
        config = label_config(labels)
        known = set(labels)
        out: dict[str, list[Suggestion]] = {}
        for first in range(0, len(documents), self.batch):
            chunk = documents[first : first + self.batch]
            tasks = [{"id": first + i + 1, "data": {"text": d.text}} for i, d in enumerate(chunk)]
            answer = self._call("POST", "/predict", {"tasks": tasks, "label_config": config})
            predictions = _predictions(answer, len(chunk))
            for document, task, prediction in zip(chunk, tasks, predictions, strict=True):
                out[document.id] = self._suggestions(prediction, document, task["id"], known)
            if progress is not None:
                progress(min(first + self.batch, len(documents)), len(documents))
        return out

    def _suggestions(
        self, prediction: Any, document: Document, task_id: int, known: set[str]
    ) -> list[Suggestion]:
        where = f"the ML backend's prediction for task {task_id} (document {document.id!r})"
        if prediction is None:
            return []
        if isinstance(prediction, list):  # some backends answer the list of regions alone
            prediction = {"result": prediction}
        if not isinstance(prediction, dict):
            raise BackendError(f"{where} must be an object with 'result', got {prediction!r:.100}")
        regions = prediction.get("result", [])
        if not isinstance(regions, list):
            raise BackendError(f"{where}: 'result' must be a list, got {regions!r:.100}")
        default_score = _score(prediction.get("score", 1.0), f"{where}, field 'score'")
        version = str(prediction.get("model_version") or "unknown")
        text = document.text
        astral = astral_positions(text)
        out: list[Suggestion] = []
        for n, region in enumerate(regions):
            at = f"{where}, result[{n}]"
            if not isinstance(region, dict):
                raise BackendError(f"{at} must be an object, got {region!r:.100}")
            if region.get("type", "labels") != "labels":
                continue  # choices, textarea, ...: not spans
            value = region.get("value")
            if not isinstance(value, dict):
                raise BackendError(f"{at}: 'value' must be an object, got {value!r:.100}")
            start, end = self._offsets(value, text, astral, at)
            names = value.get("labels")
            if not isinstance(names, list) or not names or not all(isinstance(x, str) for x in names):
                raise BackendError(
                    f"{at}, field 'value.labels' must be a non-empty list of label names, got {names!r:.100}"
                )
            score = _score(region.get("score", default_score), f"{at}, field 'score'")
            for name in names:
                if name not in known:
                    raise BackendError(
                        f"{at}, field 'value.labels': {name!r} is not a label of this project "
                        f"(labels: {', '.join(sorted(known))})"
                    )
                out.append(Suggestion(start, end, name, score, self.source, version))
        return out

    def _offsets(self, value: dict[str, Any], text: str, astral: list[int], at: str) -> tuple[int, int]:
        start, end = value.get("start"), value.get("end")
        for v, name in ((start, "start"), (end, "end")):
            if isinstance(v, bool) or not isinstance(v, int):
                raise BackendError(f"{at}, field 'value.{name}' must be an integer offset, got {v!r:.50}")
        assert isinstance(start, int) and isinstance(end, int)
        given = value.get("text")
        units: list[Literal["codepoints", "utf16"]]
        if self.offsets != "auto" or not astral:
            units = ["codepoints" if self.offsets == "codepoints" or not astral else "utf16"]
        elif isinstance(given, str):
            units = ["codepoints", "utf16"]  # whichever selects the region's text
        else:
            units = ["utf16"]  # Label Studio's own unit
        limit = {"codepoints": len(text), "utf16": len(text) + len(astral)}
        tried = []
        for unit in units:
            if not (0 <= start < end <= limit[unit]):
                tried.append(f"[{start}, {end}) is not inside the text ({unit} length {limit[unit]})")
                continue
            if unit == "utf16":
                s, e = from_utf16(start, astral), from_utf16(end, astral)
                if s is None or e is None:
                    tried.append(f"[{start}, {end}) splits a character outside the BMP (UTF-16 offsets)")
                    continue
            else:
                s, e = start, end
            if isinstance(given, str) and text[s:e] != given:
                tried.append(
                    f"'value.text' is {given!r:.60} but [{start}, {end}) counted in {unit} selects {text[s:e]!r:.60}"
                )
                continue
            return s, e
        raise BackendError(f"{at}: {'; '.join(tried)}")


def _predictions(answer: Any, count: int) -> list[Any]:
    if isinstance(answer, dict):
        for key in ("results", "predictions"):
            if key in answer:
                answer = answer[key]
                break
        else:
            raise BackendError(
                f"the ML backend's answer to /predict has neither 'results' nor 'predictions': {answer!r:.200}"
            )
    if not isinstance(answer, list):
        raise BackendError(f"the ML backend's predictions must be a list, got {answer!r:.200}")
    if len(answer) != count:
        raise BackendError(f"the ML backend answered {len(answer)} predictions for {count} tasks")
    return answer


def _score(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise BackendError(f"{where} must be a number between 0 and 1, got {value!r:.50}")
    return float(value)
