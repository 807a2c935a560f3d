"""Model output read as suggestions: each format's spans with their scores.

The spans themselves are read by the import's own format readers (offsets checked and converted
exactly as for an import of annotations); this module only takes the scores out first, in the order
those readers produce spans, and checks them:
- native JSONL and Prodigy: ``spans[i].score``;
- doccano: ``label`` as ``[start, end, "label", score]`` (a 4th element), or ``entities[i].score``;
- Label Studio: ``predictions[j].result[k].score``, else ``predictions[j].score`` (the prediction's
  overall score); the predictions are read like annotations. ``annotations`` are ignored here.
A span without a score (and no prediction score) gets 1.0. A score must be a number in [0, 1].
"""

from __future__ import annotations

from typing import Any

from annotator.domain.records import FormatError

DEFAULT_SCORE = 1.0


def check_score(value: Any, path: str, line: int | None, where: str, default: float = DEFAULT_SCORE) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise FormatError(path, line, f"must be a number from 0 to 1, got {value!r}", where)
    return float(value)


def native_scores(obj: Any, path: str, line: int) -> list[float]:
    spans = obj.get("spans") if isinstance(obj, dict) else None
    if not isinstance(spans, list):
        return []
    return [
        check_score(s.get("score") if isinstance(s, dict) else None, path, line, f"spans[{i}].score")
        for i, s in enumerate(spans)
    ]


def doccano_scores(obj: Any, path: str, line: int) -> tuple[Any, list[float]]:
    """(the object with 4-element triples cut to 3, the scores)."""
    if not isinstance(obj, dict):
        return obj, []
    for key in ("label", "labels"):
        items = obj.get(key)
        if isinstance(items, list):
            scores, cut = [], []
            for i, item in enumerate(items):
                if isinstance(item, list) and len(item) == 4:
                    scores.append(check_score(item[3], path, line, f"{key}[{i}][3]"))
                    cut.append(item[:3])
                else:
                    scores.append(DEFAULT_SCORE)
                    cut.append(item)
            return {**obj, key: cut}, scores
    for key in ("entities", "annotations"):
        items = obj.get(key)
        if isinstance(items, list):
            return obj, [
                check_score(s.get("score") if isinstance(s, dict) else None, path, line, f"{key}[{i}].score")
                for i, s in enumerate(items)
            ]
    return obj, []


def labelstudio_task(task: Any, where: str, path: str, source: str) -> tuple[Any, list[float]]:
    """The task with its predictions as annotations by ``source`` (what the reader imports), and
    the scores of the spans that reader will produce, in its order."""
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return task, []
    predictions = task.get("predictions") or []
    if not isinstance(predictions, list):
        raise FormatError(path, None, "must be a list", f"{where}.predictions")
    annotations, scores = [], []
    for j, prediction in enumerate(predictions):
        at = f"{where}.predictions[{j}]"
        if not isinstance(prediction, dict):
            raise FormatError(path, None, "must be an object", at)
        overall = check_score(prediction.get("score"), path, None, f"{at}.score")
        results = prediction.get("result") or []
        if isinstance(results, list):
            for k, result in enumerate(results):
                if not isinstance(result, dict):
                    continue
                value = result.get("value")
                if not isinstance(value, dict) or not isinstance(value.get("labels"), list):
                    continue
                score = check_score(result.get("score"), path, None, f"{at}.result[{k}].score", overall)
                scores.extend(score for _ in value["labels"])
        annotations.append({"completed_by": source, "result": results})
    rest = {k: v for k, v in task.items() if k not in ("annotations", "completions", "predictions")}
    return {**rest, "annotations": annotations}, scores
