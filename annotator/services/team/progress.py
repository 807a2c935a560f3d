"""How far the team is: the numbers behind the Team view and `annotator progress`.

Every figure comes from an aggregate query (counts grouped in the database), never from loading
the spans: per annotator the assigned documents and how many of them are in progress and done,
spans per hour over the last days, and the label distribution. Agreement on the sample is in
sample_agreement.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from annotator.domain.errors import AnnotatorError
from annotator.store.database import Database

HOUR_FORMAT = "%Y-%m-%d %H:00"


@dataclass(frozen=True, slots=True)
class PersonProgress:
    name: str
    assigned: int  # documents in their queue
    in_progress: int  # of those, in progress
    done: int  # of those, done
    done_total: int  # every document they marked done, assigned or not
    spans: int  # every span of theirs

    @property
    def not_started(self) -> int:
        return self.assigned - self.in_progress - self.done


@dataclass(frozen=True)
class TeamProgress:
    people: list[PersonProgress]
    hours: list[str]  # the last days, hour by hour (UTC, "YYYY-MM-DD HH:00"), oldest first
    spans_per_hour: dict[str, list[int]]  # name -> spans created in each hour of ``hours``
    labels: list[str]
    label_counts: dict[str, list[int]]  # name -> spans per label, in the order of ``labels``
    made_at: str = field(default="")

    def to_json(self) -> dict[str, Any]:
        return {
            "made_at": self.made_at,
            "annotators": [
                {
                    "name": p.name,
                    "assigned": p.assigned,
                    "not_started": p.not_started,
                    "in_progress": p.in_progress,
                    "done": p.done,
                    "done_total": p.done_total,
                    "spans": p.spans,
                    "labels": dict(zip(self.labels, self.label_counts.get(p.name, []), strict=True)),
                    "spans_per_hour": {
                        h: n
                        for h, n in zip(self.hours, self.spans_per_hour.get(p.name, []), strict=True)
                        if n
                    },
                }
                for p in self.people
            ],
            "labels": self.labels,
            "hours": [self.hours[0], self.hours[-1]] if self.hours else [],
        }


class ProgressService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def team_progress(self, *, days: int = 7, now: datetime | None = None) -> TeamProgress:
        """Supervisors: everyone's figures (on PostgreSQL an annotator would see only their own)."""
        if days < 1:
            raise AnnotatorError(f"--days must be at least 1, not {days}")
        now = (now or datetime.now(UTC)).astimezone(UTC)
        end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        start = end - timedelta(days=days)
        hours = [(start + timedelta(hours=h)).strftime(HOUR_FORMAT) for h in range(days * 24)]
        with self._db.read_rows() as conn:
            names = dict(
                conn.execute(text("SELECT id, name FROM annotator WHERE role <> 'gold' ORDER BY name")).all()
            )
            labels = list(conn.execute(text("SELECT id, name FROM label ORDER BY position, id")).all())
            assigned = self._assigned(conn)
            statuses = self._statuses(conn)
            per_label, per_hour = self._span_activity(conn, start)
        hour_index = {h: i for i, h in enumerate(hours)}
        label_index = {label_id: i for i, (label_id, _name) in enumerate(labels)}
        people, series, label_counts = [], {}, {}
        for ann_id, name in sorted(names.items(), key=lambda x: x[1]):
            counts = [0] * len(labels)
            for label_id, n in per_label.get(ann_id, {}).items():
                if label_id in label_index:
                    counts[label_index[label_id]] = n
            line = [0] * len(hours)
            for hour, n in per_hour.get(ann_id, {}).items():
                if hour in hour_index:
                    line[hour_index[hour]] = n
            a, p, d = assigned.get(ann_id, (0, 0, 0))
            done_total = statuses.get(ann_id, 0)
            if not (a or done_total or sum(counts)):
                continue  # nobody's work: a supervisor who never annotated
            people.append(PersonProgress(name, a, p, d, done_total, sum(counts)))
            series[name] = line
            label_counts[name] = counts
        return TeamProgress(
            people, hours, series, [n for _i, n in labels], label_counts, now.strftime("%Y-%m-%d %H:%M UTC")
        )

    @staticmethod
    def _assigned(conn: Connection) -> dict[int, tuple[int, int, int]]:
        """annotator -> (assigned, of those in progress, of those done): the counts from the
        unique index of assignment, the statuses (past 'todo') each looked up in that index."""
        counts = dict(
            conn.execute(text("SELECT annotator_id, count(*) FROM assignment GROUP BY annotator_id")).all()
        )
        started: dict[int, dict[str, int]] = {}
        for ann, status, n in conn.execute(
            text(
                "SELECT s.annotator_id, s.status, count(*) FROM document_status s JOIN assignment a"
                " ON a.annotator_id = s.annotator_id AND a.document_id = s.document_id"
                " WHERE s.status <> 'todo' GROUP BY s.annotator_id, s.status"
            )
        ):
            started.setdefault(ann, {})[status] = int(n)
        return {
            a: (int(n), started.get(a, {}).get("in_progress", 0), started.get(a, {}).get("done", 0))
            for a, n in counts.items()
        }

    @staticmethod
    def _statuses(conn: Connection) -> dict[int, int]:
        rows = conn.execute(
            text(
                "SELECT annotator_id, count(*) FROM document_status WHERE status = 'done' GROUP BY annotator_id"
            )
        )
        return {a: int(n) for a, n in rows}

    @staticmethod
    def _span_activity(
        conn: Connection, start: datetime
    ) -> tuple[dict[int, dict[int, int]], dict[int, dict[str, int]]]:
        """Per annotator and label, and per annotator and hour since ``start``, from the tally
        that migration 0008's triggers keep (a few thousand rows, not millions of spans). On
        PostgreSQL through its function (a team member may not read the table)."""
        if conn.dialect.name == "postgresql":
            query = "SELECT annotator_id, label_id, hour, n FROM annotator_span_activity()"
        else:
            query = "SELECT annotator_id, label_id, hour, n FROM span_tally WHERE n <> 0"
        since = start.strftime("%Y-%m-%d %H")
        per_label: dict[int, dict[int, int]] = {}
        per_hour: dict[int, dict[str, int]] = {}
        for ann, label, hour, n in conn.execute(text(query)):
            labels = per_label.setdefault(ann, {})
            labels[label] = labels.get(label, 0) + n
            if hour >= since:
                key = f"{hour}:00"
                hours = per_hour.setdefault(ann, {})
                hours[key] = hours.get(key, 0) + n
        return per_label, per_hour
