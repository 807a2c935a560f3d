"""The Team view's numbers as CSV: one table, one row per (section, annotator, key)."""

from __future__ import annotations

import csv
import io

from annotator.services.team.progress import TeamProgress
from annotator.services.team.sample_agreement import SampleAgreement

HEADER = ("section", "annotator", "key", "value")


def progress_csv(progress: TeamProgress, agreement: SampleAgreement | None) -> str:
    """section: documents (assigned, not_started, in_progress, done, done_total, spans),
    spans_per_hour (key: the UTC hour; only hours with spans), labels (key: the label),
    sample_finished, sample_alpha (annotator empty; key: the label), alpha_by_day (key:
    day/label)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for p in progress.people:
        for key in ("assigned", "not_started", "in_progress", "done", "done_total", "spans"):
            writer.writerow(("documents", p.name, key, getattr(p, key)))
    for name, line in progress.spans_per_hour.items():
        for hour, n in zip(progress.hours, line, strict=True):
            if n:
                writer.writerow(("spans_per_hour", name, hour, n))
    for name, counts in progress.label_counts.items():
        for label, n in zip(progress.labels, counts, strict=True):
            writer.writerow(("labels", name, label, n))
    if agreement is not None:
        for name, n in agreement.finished.items():
            writer.writerow(("sample_finished", name, "documents", n))
        for row in agreement.alpha:
            writer.writerow(("sample_alpha", "", row["label"], "" if row["alpha"] is None else row["alpha"]))
        for point in agreement.timeline:
            for label, value in point.alpha.items():
                writer.writerow(("alpha_by_day", "", f"{point.day}/{label}", "" if value is None else value))
    return out.getvalue()
