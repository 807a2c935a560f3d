"""Keeping the Team view's span tally of migration 0008 in step during a bulk import (SQLite).

The tally's row trigger upserts one tally row per inserted span; one grouped ``INSERT … SELECT``
over the spans the import added does it at the end (store/deferred_trigger.py). The hour is the
trigger's own expression (migration 0008's ``SQLITE_HOUR``)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from annotator.store.deferred_trigger import defer_trigger

TRIGGER = "span_tally_insert"
CATCH_UP = (
    "INSERT INTO span_tally (annotator_id, label_id, hour, n) "
    "SELECT annotator_id, label_id, substr(created_at, 1, 13), count(*) FROM span WHERE id > :before "
    "GROUP BY 1, 2, 3 "
    "ON CONFLICT (annotator_id, label_id, hour) DO UPDATE SET n = n + excluded.n"
)


def defer_tally(conn: Connection) -> Callable[[], None]:
    """Drop the span insert trigger and return what counts the new spans and restores it."""
    return defer_trigger(conn, TRIGGER, "span", CATCH_UP)
